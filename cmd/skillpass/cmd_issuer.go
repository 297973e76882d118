package main

import (
	"context"
	"flag"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func issuerCommands() *node {
	return &node{
		name:    "issuer",
		summary: "Manage credential issuers (training providers, assessment centres, employer academies)",
		example: "skillpass issuer get warmte-academie",
		children: []*node{
			{
				name: "create", args: "ID", nargs: 1,
				summary: "Register an issuer. Root or any sector authority.",
				example: `skillpass issuer create warmte-academie --legal-name "Warmte Academie B.V." --kvk 12345678 --email info@warmte-academie.example --website https://warmte-academie.example`,
				setup:   issuerCreate,
			},
			{
				name: "get", args: "ID", nargs: 1,
				summary: "Show an issuer.",
				example: "skillpass issuer get warmte-academie",
				setup:   issuerGet,
			},
			{
				name:    "list",
				summary: "List issuers in id order.",
				example: "skillpass issuer list --all",
				setup:   issuerList,
			},
			{
				name: "update", args: "ID", nargs: 1,
				summary: "Change an issuer's legal name, KvK number or contact. Root or the issuer's own client; only the flags given change.",
				example: "skillpass issuer update warmte-academie --phone \"+31 30 123 4567\"",
				setup:   issuerUpdate,
			},
		},
	}
}

type issuerFields struct{ legalName, kvk, email, website, phone *string }

func addIssuerFields(fs *flag.FlagSet) issuerFields {
	return issuerFields{
		legalName: fs.String("legal-name", "", "legal `name` as registered with the Chamber of Commerce"),
		kvk:       fs.String("kvk", "", "8-digit KvK `number`"),
		email:     fs.String("email", "", "functional mailbox, e.g. info@example.nl (no personal addresses)"),
		website:   fs.String("website", "", "public https `url`"),
		phone:     fs.String("phone", "", "switchboard telephone `number`"),
	}
}

func issuerCreate(fs *flag.FlagSet) action {
	f := addIssuerFields(fs)
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		is, err := c.CreateIssuer(ctx, &pb.CreateIssuerRequest{
			IssuerId: args[0],
			Issuer: &pb.Issuer{
				LegalName: *f.legalName,
				KvkNumber: *f.kvk,
				Contact:   &pb.Contact{Email: *f.email, Website: *f.website, Phone: *f.phone},
			},
			RequestId: reqID(),
		})
		if err != nil {
			return err
		}
		return e.out.message(is)
	}
}

func issuerGet(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		is, err := c.GetIssuer(ctx, &pb.GetIssuerRequest{Name: resourceName("issuers", args[0])})
		if err != nil {
			return err
		}
		return e.out.message(is)
	}
}

func issuerList(fs *flag.FlagSet) action {
	lf := addListFlags(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		resp := &pb.ListIssuersResponse{}
		err = lf.each(func(size int32, token string) (string, error) {
			r, err := c.ListIssuers(ctx, &pb.ListIssuersRequest{PageSize: size, PageToken: token})
			if err != nil {
				return "", err
			}
			resp.Issuers = append(resp.Issuers, r.Issuers...)
			resp.NextPageToken = r.NextPageToken
			return r.NextPageToken, nil
		})
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(resp.Issuers))
		for _, is := range resp.Issuers {
			rows = append(rows, []string{is.GetName(), is.GetLegalName(), is.GetKvkNumber(), is.GetContact().GetWebsite()})
		}
		return e.out.table(resp, []string{"NAME", "LEGAL NAME", "KVK", "WEBSITE"}, rows, resp.NextPageToken)
	}
}

func issuerUpdate(fs *flag.FlagSet) action {
	f := addIssuerFields(fs)
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		set := setFlags(fs)
		contactSet := set["email"] || set["website"] || set["phone"]
		if !set["legal-name"] && !set["kvk"] && !contactSet {
			return usagef("nothing to change: give --legal-name, --kvk, --email, --website or --phone")
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		name := resourceName("issuers", args[0])
		// The API replaces contact as a whole; start from the current one so
		// changing the phone keeps the e-mail address.
		cur, err := c.GetIssuer(ctx, &pb.GetIssuerRequest{Name: name})
		if err != nil {
			return err
		}
		in := &pb.Issuer{Name: name, LegalName: cur.GetLegalName(), KvkNumber: cur.GetKvkNumber(), Contact: cur.GetContact()}
		if in.Contact == nil {
			in.Contact = &pb.Contact{}
		}
		mask := &fieldmaskpb.FieldMask{}
		if set["legal-name"] {
			in.LegalName = *f.legalName
			mask.Paths = append(mask.Paths, "legal_name")
		}
		if set["kvk"] {
			in.KvkNumber = *f.kvk
			mask.Paths = append(mask.Paths, "kvk_number")
		}
		if contactSet {
			if set["email"] {
				in.Contact.Email = *f.email
			}
			if set["website"] {
				in.Contact.Website = *f.website
			}
			if set["phone"] {
				in.Contact.Phone = *f.phone
			}
			mask.Paths = append(mask.Paths, "contact")
		}
		is, err := c.UpdateIssuer(ctx, &pb.UpdateIssuerRequest{Issuer: in, UpdateMask: mask, RequestId: reqID()})
		if err != nil {
			return err
		}
		return e.out.message(is)
	}
}
