package main

import (
	"context"
	"flag"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func sectorCommands() *node {
	return &node{
		name:    "sector",
		summary: "Manage sectors (branches) and their authorities",
		example: "skillpass sector get installatietechniek",
		children: []*node{
			{
				name: "create", args: "ID", nargs: 1,
				summary: "Create a sector. Operator (root) only.",
				example: `skillpass sector create installatietechniek --name-nl "Installatietechniek" --name-en "Installation technology" --authority "Opleidingsfonds Installatietechniek"`,
				setup:   sectorCreate,
			},
			{
				name: "get", args: "ID", nargs: 1,
				summary: "Show a sector.",
				example: "skillpass sector get installatietechniek",
				setup:   sectorGet,
			},
			{
				name:    "list",
				summary: "List sectors in id order.",
				example: "skillpass sector list --all",
				setup:   sectorList,
			},
			{
				name: "update", args: "ID", nargs: 1,
				summary: "Change a sector's names or authority. Root or the sector's authority; only the flags given change.",
				example: `skillpass sector update zorg --authority "Stichting Zorg"`,
				setup:   sectorUpdate,
			},
		},
	}
}

type sectorFields struct{ nl, en, authority *string }

func addSectorFields(fs *flag.FlagSet) sectorFields {
	return sectorFields{
		nl:        fs.String("name-nl", "", "Dutch display `name`"),
		en:        fs.String("name-en", "", "English display `name`"),
		authority: fs.String("authority", "", "the `organisation` that governs the sector"),
	}
}

func sectorCreate(fs *flag.FlagSet) action {
	f := addSectorFields(fs)
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		s, err := c.CreateSector(ctx, &pb.CreateSectorRequest{
			SectorId: args[0],
			Sector: &pb.Sector{
				DisplayName: &pb.LocalizedText{Nl: *f.nl, En: *f.en},
				Authority:   *f.authority,
			},
			RequestId: reqID(),
		})
		if err != nil {
			return err
		}
		return e.out.message(s)
	}
}

func sectorGet(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		s, err := c.GetSector(ctx, &pb.GetSectorRequest{Name: resourceName("sectors", args[0])})
		if err != nil {
			return err
		}
		return e.out.message(s)
	}
}

func sectorList(fs *flag.FlagSet) action {
	lf := addListFlags(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		c, err := e.registry()
		if err != nil {
			return err
		}
		resp := &pb.ListSectorsResponse{}
		err = lf.each(func(size int32, token string) (string, error) {
			r, err := c.ListSectors(ctx, &pb.ListSectorsRequest{PageSize: size, PageToken: token})
			if err != nil {
				return "", err
			}
			resp.Sectors = append(resp.Sectors, r.Sectors...)
			resp.NextPageToken = r.NextPageToken
			return r.NextPageToken, nil
		})
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(resp.Sectors))
		for _, s := range resp.Sectors {
			rows = append(rows, []string{s.GetName(), s.GetDisplayName().GetNl(), s.GetDisplayName().GetEn(), s.GetAuthority()})
		}
		return e.out.table(resp, []string{"NAME", "NAME (NL)", "NAME (EN)", "AUTHORITY"}, rows, resp.NextPageToken)
	}
}

func sectorUpdate(fs *flag.FlagSet) action {
	f := addSectorFields(fs)
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		set := setFlags(fs)
		if !set["name-nl"] && !set["name-en"] && !set["authority"] {
			return usagef("nothing to change: give --name-nl, --name-en or --authority")
		}
		c, err := e.registry()
		if err != nil {
			return err
		}
		name := resourceName("sectors", args[0])
		// The API replaces display_name as a whole; start from the current
		// names so changing one language keeps the other.
		cur, err := c.GetSector(ctx, &pb.GetSectorRequest{Name: name})
		if err != nil {
			return err
		}
		in := &pb.Sector{Name: name, DisplayName: cur.GetDisplayName(), Authority: cur.GetAuthority()}
		if in.DisplayName == nil {
			in.DisplayName = &pb.LocalizedText{}
		}
		mask := &fieldmaskpb.FieldMask{}
		if set["name-nl"] || set["name-en"] {
			if set["name-nl"] {
				in.DisplayName.Nl = *f.nl
			}
			if set["name-en"] {
				in.DisplayName.En = *f.en
			}
			mask.Paths = append(mask.Paths, "display_name")
		}
		if set["authority"] {
			in.Authority = *f.authority
			mask.Paths = append(mask.Paths, "authority")
		}
		s, err := c.UpdateSector(ctx, &pb.UpdateSectorRequest{Sector: in, UpdateMask: mask, RequestId: reqID()})
		if err != nil {
			return err
		}
		return e.out.message(s)
	}
}
