package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// maxTokenFileBytes bounds a file of credentials: a passport of 200
// credentials of a few kilobytes each fits many times over.
const maxTokenFileBytes = 16 << 20

// verifyHelp documents the exit codes scripts rely on.
const verifyHelp = "Exit code 0: VALID; 3: INVALID (the verdict says why); 1: the call failed; 2: usage error."

func verifyCommand() *node {
	return &node{
		name: "verify", args: "[FILE|-]", nargs: -1,
		summary: "Verify a credential (compact JWS; from FILE, or stdin if none or \"-\"). Prints the verdict, one line per check " +
			"with its outcome, reason and sentence, then what the credential says. Needs no token. " + verifyHelp,
		example: "skillpass verify credential.jwt --lang nl",
		setup:   verifyCredential,
	}
}

func passportCommands() *node {
	return &node{
		name:    "passport",
		summary: "Verify a holder's passport: many credentials at once",
		example: "skillpass passport verify diploma.jwt evc.jwt",
		children: []*node{
			{
				name: "verify", args: "FILE...", nargs: -1,
				summary: "Verify every credential in the FILEs (each holds one or more compact JWS separated by whitespace; \"-\" is stdin) " +
					"and summarise the competencies the VALID ones prove. " + verifyHelp + " Exit 3 if any credential is INVALID.",
				example: "skillpass passport verify diploma.jwt evc.jwt --lang nl",
				setup:   verifyPassport,
			},
		},
	}
}

func jwksCommand() *node {
	return &node{
		name: "jwks", args: "ISSUER", nargs: 1,
		summary: "Print an issuer's published key set (JWKS, RFC 7517), for verifying its credentials with any JOSE library. Needs no token.",
		example: "skillpass jwks warmte-academie > warmte-academie.jwks.json",
		setup:   getJWKS,
	}
}

func statusListCommands() *node {
	return &node{
		name:    "statuslist",
		summary: "Fetch an issuer's signed status lists (W3C Bitstring Status List)",
		example: "skillpass statuslist get warmte-academie revocation",
		children: []*node{
			{
				name: "get", args: "ISSUER PURPOSE [LIST]", nargs: -1,
				summary: "Print the signed BitstringStatusListCredential (compact JWS) of an issuer for PURPOSE (revocation or suspension), " +
					"list number LIST (default 0). Needs no token.",
				example: "skillpass statuslist get warmte-academie revocation 0 --decode",
				setup:   getStatusList,
			},
		},
	}
}

func verifyCredential(fs *flag.FlagSet) action {
	langFlag := fs.String("lang", "en", "`language` of the sentences and names: en or nl")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 1 {
			return usagef("want at most one FILE, got %d", len(args))
		}
		l, err := parseLang(*langFlag)
		if err != nil {
			return err
		}
		path := "-"
		if len(args) == 1 {
			path = args[0]
		}
		tokens, err := readTokens(path, e)
		if err != nil {
			return err
		}
		if len(tokens) != 1 {
			return usagef("%s: want one credential, found %d (use 'skillpass passport verify' for several)", path, len(tokens))
		}
		c, err := e.verification()
		if err != nil {
			return err
		}
		v, err := c.VerifyCredential(ctx, &pb.VerifyCredentialRequest{Jws: tokens[0]})
		if err != nil {
			return err
		}
		if e.out.json {
			err = e.out.writeJSON(v)
		} else {
			err = writeVerdict(e.stdout, l, v)
		}
		if err != nil {
			return err
		}
		return verdictExit(v.GetVerdict() == pb.Verdict_VERDICT_VALID)
	}
}

func verifyPassport(fs *flag.FlagSet) action {
	langFlag := fs.String("lang", "en", "`language` of the sentences and names: en or nl")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) == 0 {
			return usagef("want at least one FILE")
		}
		l, err := parseLang(*langFlag)
		if err != nil {
			return err
		}
		var tokens, sources []string
		for _, path := range args {
			found, err := readTokens(path, e)
			if err != nil {
				return err
			}
			for i, t := range found {
				src := path
				if len(found) > 1 {
					src += "#" + strconv.Itoa(i+1)
				}
				tokens, sources = append(tokens, t), append(sources, src)
			}
		}
		if len(tokens) == 0 {
			return usagef("no credentials in %s", strings.Join(args, ", "))
		}
		c, err := e.verification()
		if err != nil {
			return err
		}
		p, err := c.VerifyPassport(ctx, &pb.VerifyPassportRequest{Jws: tokens})
		if err != nil {
			return err
		}
		if e.out.json {
			err = e.out.writeJSON(p)
		} else {
			err = writePassport(e.stdout, l, sources, p)
		}
		if err != nil {
			return err
		}
		return verdictExit(p.GetInvalidCount() == 0 && p.GetValidCount() == int32(len(tokens)))
	}
}

// verdictExit turns a negative verdict into exit code 3; the verdict
// itself is already printed.
func verdictExit(valid bool) error {
	if valid {
		return nil
	}
	return &exitStatus{code: exitInvalid}
}

// readTokens reads the whitespace-separated compact JWS in a file.
func readTokens(path string, e *env) ([]string, error) {
	b, err := readInput(path, e.stdin, "credential file", maxTokenFileBytes)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(b)), nil
}

func getJWKS(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.verification()
		if err != nil {
			return err
		}
		resp, err := c.GetIssuerJwks(ctx, &pb.GetIssuerJwksRequest{Issuer: resourceName("issuers", args[0])})
		if err != nil {
			return err
		}
		// The JWKS is a JSON document already; print it as such with or
		// without --json, so it can be saved and handed to a JOSE library.
		return writeIndentedJSON(e, []byte(resp.GetJwks()))
	}
}

func getStatusList(fs *flag.FlagSet) action {
	decode := fs.Bool("decode", false, "print the decoded header and payload (JSON, not verified) instead of the JWS")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) < 2 || len(args) > 3 {
			return usagef("want ISSUER PURPOSE [LIST], got %d argument(s)", len(args))
		}
		purpose := args[1]
		if purpose != "revocation" && purpose != "suspension" {
			return usagef("PURPOSE: want revocation or suspension, got %q", purpose)
		}
		var list int64
		if len(args) == 3 {
			var err error
			if list, err = strconv.ParseInt(args[2], 10, 32); err != nil || list < 0 || list > math.MaxInt32 {
				return usagef("LIST: want a list number from 0, got %q", args[2])
			}
		}
		c, err := e.verification()
		if err != nil {
			return err
		}
		resp, err := c.GetStatusList(ctx, &pb.GetStatusListRequest{Issuer: resourceName("issuers", args[0]), Purpose: purpose, List: int32(list)})
		if err != nil {
			return err
		}
		if !*decode {
			if e.out.json {
				return e.out.writeJSON(resp)
			}
			_, err = fmt.Fprintln(e.stdout, resp.GetJws())
			return err
		}
		return writeDecodedJWS(e, resp.GetJws())
	}
}

// writeDecodedJWS prints the protected header and the payload of a compact
// JWS as JSON, for a person to read. It does not verify the signature.
func writeDecodedJWS(e *env, jws string) error {
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		return fmt.Errorf("server returned a JWS with %d parts, want 3", len(parts))
	}
	for i, name := range []string{"header", "payload"} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			return fmt.Errorf("server returned a JWS whose %s is not base64url: %w", name, err)
		}
		if err := writeIndentedJSON(e, b); err != nil {
			return fmt.Errorf("JWS %s: %w", name, err)
		}
	}
	return nil
}

func writeIndentedJSON(e *env, b []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return fmt.Errorf("server returned invalid JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err := e.stdout.Write(buf.Bytes())
	return err
}
