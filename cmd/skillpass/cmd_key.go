package main

import (
	"context"
	"flag"

	"google.golang.org/protobuf/types/known/durationpb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func keyCommands() *node {
	return &node{
		name:    "key",
		summary: "Manage an issuer's signing keys (root or the issuer's client token)",
		example: "skillpass key list warmte-academie",
		children: []*node{
			{
				name: "rotate", args: "ISSUER", nargs: 1,
				summary: "Generate a new signing key. It is published at once and signs after the publish delay, when the current key retires; " +
					"the issuer's first key signs at once.",
				example: "skillpass key rotate warmte-academie --algorithm es256",
				setup:   keyRotate,
			},
			{
				name: "compromise", args: "ISSUER KID", nargs: 2,
				summary: "Mark a key compromised: nothing it signed is trusted any more. Rotate with --publish-delay 0 first so issuance goes on.",
				example: `skillpass key compromise warmte-academie 3qB0...k9M --reason "Sleutel uitgelekt bij incident 2025-11"`,
				setup:   keyCompromise,
			},
			{
				name: "list", args: "ISSUER", nargs: 1,
				summary: "List an issuer's keys with their lifecycle.",
				example: "skillpass key list warmte-academie",
				setup:   keyList,
			},
		},
	}
}

func keyRotate(fs *flag.FlagSet) action {
	alg := fs.String("algorithm", "es256", "key `algorithm`: es256 (interoperable default) or eddsa (Ed25519)")
	delay := fs.Duration("publish-delay", 0, "how long the new key is published before it signs (default the server's policy); 0 activates at once, e.g. after a compromise")
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		a, err := parseEnum(pb.KeyAlgorithm(0).Descriptor(), "algorithm", *alg)
		if err != nil {
			return err
		}
		if *delay < 0 {
			return usagef("--publish-delay: want 0 or more, got %s", *delay)
		}
		req := &pb.RotateIssuerKeyRequest{Issuer: resourceName("issuers", args[0]), Algorithm: pb.KeyAlgorithm(a), RequestId: reqID()}
		// Only an explicit flag sends a delay: unset means the server's policy,
		// while an explicit 0 means "activate now".
		if setFlags(fs)["publish-delay"] {
			req.PublishDelay = durationpb.New(*delay)
		}
		c, err := e.issuance()
		if err != nil {
			return err
		}
		set, err := c.RotateIssuerKey(ctx, req)
		if err != nil {
			return err
		}
		return printKeySet(e, set)
	}
}

func keyCompromise(fs *flag.FlagSet) action {
	reason := fs.String("reason", "", "why the key is no longer trusted (required)")
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		if err := required("reason", *reason); err != nil {
			return err
		}
		c, err := e.issuance()
		if err != nil {
			return err
		}
		set, err := c.CompromiseIssuerKey(ctx, &pb.CompromiseIssuerKeyRequest{
			Issuer: resourceName("issuers", args[0]), Kid: args[1], Reason: *reason, RequestId: reqID(),
		})
		if err != nil {
			return err
		}
		return printKeySet(e, set)
	}
}

func keyList(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.issuance()
		if err != nil {
			return err
		}
		set, err := c.ListIssuerKeys(ctx, &pb.ListIssuerKeysRequest{Issuer: resourceName("issuers", args[0])})
		if err != nil {
			return err
		}
		return printKeySet(e, set)
	}
}

func printKeySet(e *env, set *pb.IssuerKeySet) error {
	rows := make([][]string, 0, len(set.GetKeys()))
	for _, k := range set.GetKeys() {
		rows = append(rows, []string{k.GetKid(), enumName(k.GetAlgorithm()), enumName(k.GetState()),
			ts(k.GetPublishTime()), ts(k.GetActivateTime()), ts(k.GetRetireTime()), ts(k.GetCompromiseTime())})
	}
	return e.out.table(set, []string{"KID", "ALG", "STATE", "PUBLISHED", "SIGNS FROM", "RETIRES", "COMPROMISED"}, rows, "")
}
