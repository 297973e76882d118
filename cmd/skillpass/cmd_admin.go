package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"google.golang.org/protobuf/types/known/durationpb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func principalCommands() *node {
	return &node{
		name:    "principal",
		summary: "Manage who may call Skillpass: root, sector authorities and issuer clients. Root only.",
		example: "skillpass principal list",
		children: []*node{
			{
				name: "create", args: "ID", nargs: 1,
				summary: "Create a principal.",
				example: `skillpass principal create otib --kind sector-authority --display-name "Opleidingsfonds Installatietechniek" --sector installatietechniek`,
				setup:   principalCreate,
			},
			{
				name: "get", args: "ID", nargs: 1,
				summary: "Show a principal.",
				example: "skillpass principal get otib",
				setup:   principalGet,
			},
			{
				name:    "list",
				summary: "List principals in id order.",
				example: "skillpass principal list --all",
				setup:   principalList,
			},
		},
	}
}

func principalCreate(fs *flag.FlagSet) action {
	kind := fs.String("kind", "", "`kind`: root, sector-authority or issuer-client (required)")
	display := fs.String("display-name", "", "who this is, for logs and histories (required)")
	var sectors stringsFlag
	fs.Var(&sectors, "sector", "sector `id` a sector authority governs (repeatable)")
	issuer := fs.String("issuer", "", "issuer `id` an issuer client acts for")
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		if err := required("kind", *kind); err != nil {
			return err
		}
		k, err := parseEnum(pb.PrincipalKind(0).Descriptor(), "kind", *kind)
		if err != nil {
			return err
		}
		p := &pb.Principal{Kind: pb.PrincipalKind(k), DisplayName: *display}
		for _, s := range sectors {
			p.Sectors = append(p.Sectors, resourceName("sectors", s))
		}
		if *issuer != "" {
			p.Issuer = resourceName("issuers", *issuer)
		}
		c, err := e.admin()
		if err != nil {
			return err
		}
		created, err := c.CreatePrincipal(ctx, &pb.CreatePrincipalRequest{PrincipalId: args[0], Principal: p, RequestId: reqID()})
		if err != nil {
			return err
		}
		return e.out.message(created)
	}
}

func principalGet(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.admin()
		if err != nil {
			return err
		}
		p, err := c.GetPrincipal(ctx, &pb.GetPrincipalRequest{Name: resourceName("principals", args[0])})
		if err != nil {
			return err
		}
		return e.out.message(p)
	}
}

func principalList(fs *flag.FlagSet) action {
	lf := addListFlags(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		c, err := e.admin()
		if err != nil {
			return err
		}
		resp := &pb.ListPrincipalsResponse{}
		err = lf.each(func(size int32, token string) (string, error) {
			r, err := c.ListPrincipals(ctx, &pb.ListPrincipalsRequest{PageSize: size, PageToken: token})
			if err != nil {
				return "", err
			}
			resp.Principals = append(resp.Principals, r.Principals...)
			resp.NextPageToken = r.NextPageToken
			return r.NextPageToken, nil
		})
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(resp.Principals))
		for _, p := range resp.Principals {
			scope := strings.Join(p.GetSectors(), ",")
			if p.GetIssuer() != "" {
				scope = p.GetIssuer()
			}
			rows = append(rows, []string{p.GetName(), enumName(p.GetKind()), p.GetDisplayName(), scope})
		}
		return e.out.table(resp, []string{"NAME", "KIND", "DISPLAY NAME", "SCOPE"}, rows, resp.NextPageToken)
	}
}

func whoamiCommand() *node {
	return &node{
		name:    "whoami",
		summary: "Show the principal your token belongs to (ANONYMOUS without a token).",
		example: "skillpass --token-file skillpass-data/root.token whoami",
		setup: func(fs *flag.FlagSet) action {
			return func(ctx context.Context, e *env, _ []string) error {
				c, err := e.admin()
				if err != nil {
					return err
				}
				p, err := c.GetCaller(ctx, &pb.GetCallerRequest{})
				if err != nil {
					return err
				}
				return e.out.message(p)
			}
		},
	}
}

func tokenCommands() *node {
	return &node{
		name:    "token",
		summary: "Manage bearer tokens. Root for anyone; every principal for its own.",
		example: "skillpass token list --principal otib",
		children: []*node{
			{
				name:    "create",
				summary: "Create a bearer token. Its secret is printed once: Skillpass keeps only a hash.",
				example: `skillpass token create --principal otib --description "laptop beleidsmedewerker" --ttl 720h`,
				setup:   tokenCreate,
			},
			{
				name:    "list",
				summary: "List a principal's tokens (never their secrets).",
				example: "skillpass token list --principal otib",
				setup:   tokenList,
			},
			{
				name: "revoke", args: "NAME", nargs: 1,
				summary: "Revoke a token (NAME: principals/{principal}/tokens/{token}); calls with it fail from then on.",
				example: "skillpass token revoke principals/otib/tokens/t1",
				setup:   tokenRevoke,
			},
		},
	}
}

func tokenCreate(fs *flag.FlagSet) action {
	principal := fs.String("principal", "", "principal `id` the token is for (required)")
	description := fs.String("description", "", "what the token is for")
	ttl := fs.Duration("ttl", 0, "how long the token works, e.g. 720h (server default 90 days, at most 2 years)")
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("principal", *principal); err != nil {
			return err
		}
		if *ttl < 0 {
			return usagef("--ttl must not be negative, got %s", *ttl)
		}
		req := &pb.CreateTokenRequest{Parent: resourceName("principals", *principal), Description: *description, RequestId: reqID()}
		if *ttl > 0 {
			req.Ttl = durationpb.New(*ttl)
		}
		c, err := e.admin()
		if err != nil {
			return err
		}
		resp, err := c.CreateToken(ctx, req)
		if err != nil {
			return err
		}
		if err := e.out.message(resp); err != nil {
			return err
		}
		if resp.GetSecret() == "" {
			fmt.Fprintln(e.stderr, "note: this request id was used before; the secret was shown then and cannot be shown again.")
		} else {
			fmt.Fprintln(e.stderr, "WARNING: store the secret now. It is not shown again: Skillpass keeps only its hash.")
		}
		return nil
	}
}

func tokenList(fs *flag.FlagSet) action {
	principal := fs.String("principal", "", "principal `id` (required)")
	lf := addListFlags(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("principal", *principal); err != nil {
			return err
		}
		c, err := e.admin()
		if err != nil {
			return err
		}
		resp := &pb.ListTokensResponse{}
		err = lf.each(func(size int32, token string) (string, error) {
			r, err := c.ListTokens(ctx, &pb.ListTokensRequest{Parent: resourceName("principals", *principal), PageSize: size, PageToken: token})
			if err != nil {
				return "", err
			}
			resp.Tokens = append(resp.Tokens, r.Tokens...)
			resp.NextPageToken = r.NextPageToken
			return r.NextPageToken, nil
		})
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(resp.Tokens))
		for _, t := range resp.Tokens {
			rows = append(rows, []string{t.GetName(), t.GetDescription(), ts(t.GetCreateTime()), ts(t.GetExpireTime()), ts(t.GetRevokeTime())})
		}
		return e.out.table(resp, []string{"NAME", "DESCRIPTION", "CREATED", "EXPIRES", "REVOKED"}, rows, resp.NextPageToken)
	}
}

func tokenRevoke(fs *flag.FlagSet) action {
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.admin()
		if err != nil {
			return err
		}
		t, err := c.RevokeToken(ctx, &pb.RevokeTokenRequest{Name: args[0], RequestId: reqID()})
		if err != nil {
			return err
		}
		return e.out.message(t)
	}
}
