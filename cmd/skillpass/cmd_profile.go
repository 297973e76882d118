package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func profileCommands() *node {
	return &node{
		name:    "profile",
		summary: "Manage versioned competency profiles (DRAFT -> PUBLISHED -> RETIRED)",
		example: "skillpass profile import --file examples/warmtepompmonteur.json --sector installatietechniek --profile warmtepompmonteur --publish",
		children: []*node{
			{
				name:    "create",
				summary: "Create a DRAFT version of a profile from a JSON file (protojson of skillpass.v1.ProfileVersion). Root or the sector's authority.",
				example: "skillpass profile create --file examples/warmtepompmonteur.json --sector installatietechniek --profile warmtepompmonteur",
				setup:   func(fs *flag.FlagSet) action { return profileImport(fs, false) },
			},
			{
				name:    "import",
				summary: "Import a profile JSON file as a new DRAFT version, optionally publishing it at once.",
				example: "skillpass profile import --file examples/verzorgende-ig.json --sector zorg --profile verzorgende-ig --publish",
				setup:   func(fs *flag.FlagSet) action { return profileImport(fs, true) },
			},
			{
				name: "get", args: "NAME", nargs: 1,
				summary: "Show a profile version (NAME: sectors/{sector}/profiles/{profile}/versions/{version}). Drafts: root and the sector's authority only.",
				example: "skillpass profile get sectors/zorg/profiles/verzorgende-ig/versions/1",
				setup:   profileGet,
			},
			{
				name:    "list",
				summary: "List the versions of a sector's profiles, or of one profile.",
				example: "skillpass profile list --sector zorg --profile verzorgende-ig",
				setup:   profileList,
			},
			{
				name: "update", args: "[NAME]", nargs: -1,
				summary: "Replace the content of a DRAFT version with a JSON file; NAME defaults to the file's name.",
				example: "skillpass profile update sectors/zorg/profiles/verzorgende-ig/versions/2 --file vig.json",
				setup:   profileUpdate,
			},
			{
				name: "publish", args: "NAME", nargs: 1,
				summary: "Publish a DRAFT version: it becomes immutable and gets its digest.",
				example: "skillpass profile publish sectors/zorg/profiles/verzorgende-ig/versions/1",
				setup:   func(fs *flag.FlagSet) action { return profileTransition(fs, true) },
			},
			{
				name: "retire", args: "NAME", nargs: 1,
				summary: "Retire a PUBLISHED version: no new credentials; existing ones keep verifying.",
				example: "skillpass profile retire sectors/zorg/profiles/verzorgende-ig/versions/1",
				setup:   func(fs *flag.FlagSet) action { return profileTransition(fs, false) },
			},
			{
				name: "export", args: "NAME", nargs: 1,
				summary: "Write a profile version as JSON, the format import reads.",
				example: "skillpass profile export sectors/zorg/profiles/verzorgende-ig/versions/1 --out vig-v1.json",
				setup:   profileExport,
			},
		},
	}
}

func profileImport(fs *flag.FlagSet, canPublish bool) action {
	file := fs.String("file", "", "profile JSON `file` (\"-\" for standard input)")
	sector := fs.String("sector", "", "sector `id`; default from the file's name")
	profile := fs.String("profile", "", "profile `id`; default from the file's name")
	publish := new(bool)
	if canPublish {
		publish = fs.Bool("publish", false, "publish the new version right after creating it")
	}
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("file", *file); err != nil {
			return err
		}
		pv, err := readProfileFile(*file, e.stdin)
		if err != nil {
			return err
		}
		parent, err := profileParent(*sector, *profile, pv.GetName())
		if err != nil {
			return err
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		id := reqID()
		created, err := c.CreateProfileVersion(ctx, &pb.CreateProfileVersionRequest{Parent: parent, ProfileVersion: pv, RequestId: id})
		if err != nil {
			return err
		}
		if *publish {
			// Derived from the create's id so that retrying the whole
			// import with --request-id retries the publish too.
			published, err := c.PublishProfileVersion(ctx, &pb.PublishProfileVersionRequest{Name: created.GetName(), RequestId: id + "-publish"})
			if err != nil {
				fmt.Fprintf(e.stderr, "created %s as a draft, but publishing it failed\n", created.GetName())
				return err
			}
			created = published
		}
		return e.out.message(created)
	}
}

func profileGet(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		pv, err := c.GetProfileVersion(ctx, &pb.GetProfileVersionRequest{Name: args[0]})
		if err != nil {
			return err
		}
		return e.out.message(pv)
	}
}

func profileList(fs *flag.FlagSet) action {
	sector := fs.String("sector", "", "sector `id` (required)")
	profile := fs.String("profile", "", "profile `id`: only this profile's versions")
	lf := addListFlags(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("sector", *sector); err != nil {
			return err
		}
		parent := resourceName("sectors", *sector)
		if *profile != "" {
			parent += "/profiles/" + *profile
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		resp := &pb.ListProfileVersionsResponse{}
		err = lf.each(func(size int32, token string) (string, error) {
			r, err := c.ListProfileVersions(ctx, &pb.ListProfileVersionsRequest{Parent: parent, PageSize: size, PageToken: token})
			if err != nil {
				return "", err
			}
			resp.ProfileVersions = append(resp.ProfileVersions, r.ProfileVersions...)
			resp.NextPageToken = r.NextPageToken
			return r.NextPageToken, nil
		})
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(resp.ProfileVersions))
		for _, v := range resp.ProfileVersions {
			rows = append(rows, []string{
				v.GetName(), enumName(v.GetState()), enumName(v.GetNlqfLevel()),
				strconv.Itoa(len(v.GetCompetencies())), v.GetDisplayName().GetNl(), v.GetDigest(),
			})
		}
		return e.out.table(resp, []string{"NAME", "STATE", "NLQF", "COMPETENCIES", "NAME (NL)", "DIGEST"}, rows, resp.NextPageToken)
	}
}

func profileUpdate(fs *flag.FlagSet) action {
	file := fs.String("file", "", "profile JSON `file` with the new content (\"-\" for standard input)")
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 1 {
			return usagef("want at most one NAME, got %q", args)
		}
		if err := required("file", *file); err != nil {
			return err
		}
		pv, err := readProfileFile(*file, e.stdin)
		if err != nil {
			return err
		}
		if len(args) == 1 {
			if pv.GetName() != "" && pv.GetName() != args[0] {
				return usagef("NAME is %s but the file's name says %s", args[0], pv.GetName())
			}
			pv.Name = args[0]
		}
		if pv.GetName() == "" {
			return usagef("give NAME: the file has no name")
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		// No update mask: the file is the whole new content.
		updated, err := c.UpdateProfileVersion(ctx, &pb.UpdateProfileVersionRequest{ProfileVersion: pv, RequestId: reqID()})
		if err != nil {
			return err
		}
		return e.out.message(updated)
	}
}

func profileTransition(fs *flag.FlagSet, publish bool) action {
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		var pv *pb.ProfileVersion
		if publish {
			pv, err = c.PublishProfileVersion(ctx, &pb.PublishProfileVersionRequest{Name: args[0], RequestId: reqID()})
		} else {
			pv, err = c.RetireProfileVersion(ctx, &pb.RetireProfileVersionRequest{Name: args[0], RequestId: reqID()})
		}
		if err != nil {
			return err
		}
		return e.out.message(pv)
	}
}

func profileExport(fs *flag.FlagSet) action {
	out := fs.String("out", "", "write to `file` (\"-\" for standard output)")
	return func(ctx context.Context, e *env, args []string) error {
		if err := required("out", *out); err != nil {
			return err
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		pv, err := c.GetProfileVersion(ctx, &pb.GetProfileVersionRequest{Name: args[0]})
		if err != nil {
			return err
		}
		b, err := encodeProfile(pv)
		if err != nil {
			return err
		}
		if *out == "-" {
			_, err = e.stdout.Write(b)
			return err
		}
		if err := writeFileAtomic(*out, b, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		fmt.Fprintf(e.stderr, "wrote %s to %s\n", pv.GetName(), *out)
		return nil
	}
}
