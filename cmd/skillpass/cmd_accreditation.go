package main

import (
	"context"
	"flag"
	"math"
	"strconv"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func accreditationCommands() *node {
	return &node{
		name:    "accreditation",
		summary: "Accredit issuers for profiles, change their standing and ask about it",
		example: "skillpass accreditation check --issuer warmte-academie --profile-version sectors/installatietechniek/profiles/warmtepompmonteur/versions/1",
		children: []*node{
			{
				name:    "create",
				summary: "Accredit an issuer for a profile (a range of its versions) within a validity window. Root or the profile's sector authority.",
				example: "skillpass accreditation create --issuer warmte-academie --profile sectors/installatietechniek/profiles/warmtepompmonteur --min-version 1 --valid-until 2028-01-01",
				setup:   accreditationCreate,
			},
			{
				name: "get", args: "NAME", nargs: 1,
				summary: "Show an accreditation (NAME: issuers/{issuer}/accreditations/{accreditation}) with its current state.",
				example: "skillpass accreditation get issuers/warmte-academie/accreditations/a1b2c3",
				setup:   accreditationGet,
			},
			{
				name:    "list",
				summary: "List an issuer's accreditations.",
				example: "skillpass accreditation list --issuer warmte-academie",
				setup:   accreditationList,
			},
			{
				name: "suspend", args: "NAME", nargs: 1,
				summary: "Suspend an ACTIVE accreditation: new issuance stops; credentials issued before stay valid.",
				example: `skillpass accreditation suspend issuers/warmte-academie/accreditations/a1b2c3 --reason "Audit 2025: examens niet conform"`,
				setup: func(fs *flag.FlagSet) action {
					return accreditationChange(fs, pb.AccreditationState_ACCREDITATION_STATE_SUSPENDED)
				},
			},
			{
				name: "reinstate", args: "NAME", nargs: 1,
				summary: "Reinstate a SUSPENDED accreditation.",
				example: `skillpass accreditation reinstate issuers/warmte-academie/accreditations/a1b2c3 --reason "Herstelplan uitgevoerd"`,
				setup: func(fs *flag.FlagSet) action {
					return accreditationChange(fs, pb.AccreditationState_ACCREDITATION_STATE_ACTIVE)
				},
			},
			{
				name: "withdraw", args: "NAME", nargs: 1,
				summary: "Withdraw an accreditation for good.",
				example: `skillpass accreditation withdraw issuers/warmte-academie/accreditations/a1b2c3 --reason "Opleider gestopt"`,
				setup: func(fs *flag.FlagSet) action {
					return accreditationChange(fs, pb.AccreditationState_ACCREDITATION_STATE_WITHDRAWN)
				},
			},
			{
				name: "history", args: "NAME", nargs: 1,
				summary: "List the append-only history of an accreditation, oldest first.",
				example: "skillpass accreditation history issuers/warmte-academie/accreditations/a1b2c3",
				setup:   accreditationHistory,
			},
			{
				name:    "check",
				summary: "Answer: was the issuer accredited for this profile version at this time (default now)?",
				example: "skillpass accreditation check --issuer warmte-academie --profile-version sectors/installatietechniek/profiles/warmtepompmonteur/versions/1 --time 2025-06-01",
				setup:   accreditationCheck,
			},
		},
	}
}

func accreditationCreate(fs *flag.FlagSet) action {
	issuer := fs.String("issuer", "", "issuer `id` (required)")
	profile := fs.String("profile", "", "the profile: sectors/{sector}/profiles/{profile}, or its `id` with --sector (required)")
	sector := fs.String("sector", "", "sector `id`, when --profile is an id")
	minVersion := fs.Int("min-version", 1, "lowest profile `version` covered")
	maxVersion := fs.Int("max-version", 0, "highest profile `version` covered; 0 covers every later version too")
	validFrom := timeVar(fs, "valid-from", "start of the validity window (default now)")
	validUntil := timeVar(fs, "valid-until", "end of the validity window, exclusive (default open-ended)")
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("issuer", *issuer); err != nil {
			return err
		}
		if err := required("profile", *profile); err != nil {
			return err
		}
		p := *profile
		if *sector != "" {
			p = resourceName("sectors", *sector) + "/profiles/" + p
		}
		if *minVersion < 0 || *minVersion > math.MaxInt32 || *maxVersion < 0 || *maxVersion > math.MaxInt32 {
			return usagef("--min-version and --max-version must be between 0 and %d", math.MaxInt32)
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		a, err := c.CreateAccreditation(ctx, &pb.CreateAccreditationRequest{
			Parent: resourceName("issuers", *issuer),
			Accreditation: &pb.Accreditation{
				Profile:    p,
				MinVersion: int32(*minVersion),
				MaxVersion: int32(*maxVersion),
				ValidFrom:  validFrom(),
				ValidUntil: validUntil(),
			},
			RequestId: reqID(),
		})
		if err != nil {
			return err
		}
		return e.out.message(a)
	}
}

func accreditationGet(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		a, err := c.GetAccreditation(ctx, &pb.GetAccreditationRequest{Name: args[0]})
		if err != nil {
			return err
		}
		return e.out.message(a)
	}
}

func accreditationList(fs *flag.FlagSet) action {
	issuer := fs.String("issuer", "", "issuer `id` (required)")
	lf := addListFlags(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("issuer", *issuer); err != nil {
			return err
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		resp := &pb.ListAccreditationsResponse{}
		err = lf.each(func(size int32, token string) (string, error) {
			r, err := c.ListAccreditations(ctx, &pb.ListAccreditationsRequest{Parent: resourceName("issuers", *issuer), PageSize: size, PageToken: token})
			if err != nil {
				return "", err
			}
			resp.Accreditations = append(resp.Accreditations, r.Accreditations...)
			resp.NextPageToken = r.NextPageToken
			return r.NextPageToken, nil
		})
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(resp.Accreditations))
		for _, a := range resp.Accreditations {
			versions := strconv.Itoa(int(a.GetMinVersion())) + "-"
			if a.GetMaxVersion() != 0 {
				versions += strconv.Itoa(int(a.GetMaxVersion()))
			}
			rows = append(rows, []string{a.GetName(), a.GetProfile(), versions, enumName(a.GetState()), ts(a.GetValidFrom()), ts(a.GetValidUntil())})
		}
		return e.out.table(resp, []string{"NAME", "PROFILE", "VERSIONS", "STATE", "VALID FROM", "VALID UNTIL"}, rows, resp.NextPageToken)
	}
}

func accreditationChange(fs *flag.FlagSet, to pb.AccreditationState) action {
	reason := fs.String("reason", "", "why; recorded in the public history (required)")
	effective := timeVar(fs, "effective-time", "when the change takes effect (default now; never in the past)")
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		if err := required("reason", *reason); err != nil {
			return err
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		var a *pb.Accreditation
		switch to {
		case pb.AccreditationState_ACCREDITATION_STATE_SUSPENDED:
			a, err = c.SuspendAccreditation(ctx, &pb.SuspendAccreditationRequest{Name: args[0], Reason: *reason, EffectiveTime: effective(), RequestId: reqID()})
		case pb.AccreditationState_ACCREDITATION_STATE_ACTIVE:
			a, err = c.ReinstateAccreditation(ctx, &pb.ReinstateAccreditationRequest{Name: args[0], Reason: *reason, EffectiveTime: effective(), RequestId: reqID()})
		default:
			a, err = c.WithdrawAccreditation(ctx, &pb.WithdrawAccreditationRequest{Name: args[0], Reason: *reason, EffectiveTime: effective(), RequestId: reqID()})
		}
		if err != nil {
			return err
		}
		return e.out.message(a)
	}
}

func accreditationHistory(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		resp, err := c.ListAccreditationEvents(ctx, &pb.ListAccreditationEventsRequest{Parent: args[0]})
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(resp.Events))
		for _, ev := range resp.Events {
			rows = append(rows, []string{strconv.Itoa(int(ev.GetSequence())), enumName(ev.GetState()), ts(ev.GetEffectiveTime()), ts(ev.GetRecordTime()), ev.GetActor(), ev.GetReason()})
		}
		return e.out.table(resp, []string{"SEQ", "STATE", "EFFECTIVE", "RECORDED", "ACTOR", "REASON"}, rows, "")
	}
}

func accreditationCheck(fs *flag.FlagSet) action {
	issuer := fs.String("issuer", "", "issuer `id` (required)")
	version := fs.String("profile-version", "", "sectors/{sector}/profiles/{profile}/versions/{version} (required)")
	at := timeVar(fs, "time", "the moment asked about (default now)")
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("issuer", *issuer); err != nil {
			return err
		}
		if err := required("profile-version", *version); err != nil {
			return err
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		resp, err := c.CheckAccreditation(ctx, &pb.CheckAccreditationRequest{Issuer: resourceName("issuers", *issuer), ProfileVersion: *version, Time: at()})
		if err != nil {
			return err
		}
		return e.out.message(resp)
	}
}
