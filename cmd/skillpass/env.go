package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	skillpassv1 "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// maxRecvBytes bounds a single response. Profiles and list pages are far
// smaller; the bound only protects the CLI from a misbehaving server.
const maxRecvBytes = 64 << 20

// env is what a command runs with: its streams, its output format and a
// connection to skillpassd, dialled on first use.
type env struct {
	g      *globals
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	out    *printer

	cc *grpc.ClientConn
}

func newEnv(g *globals, stdin io.Reader, stdout, stderr io.Writer) (*env, error) {
	if (g.tlsCert == "") != (g.tlsKey == "") {
		return nil, usagef("--tls-cert and --tls-key go together")
	}
	return &env{g: g, stdin: stdin, stdout: stdout, stderr: stderr, out: &printer{w: stdout, json: g.json}}, nil
}

// callContext adds the bearer token to ctx's outgoing metadata.
func (e *env) callContext(ctx context.Context) (context.Context, error) {
	tok, err := e.g.bearer(readTokenFile)
	if err != nil {
		return nil, err
	}
	if tok == "" {
		return ctx, nil
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok), nil
}

func readTokenFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("token file %s is empty", path)
	}
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("token file %s must hold one token and nothing else", path)
	}
	return tok, nil
}

func (e *env) conn() (*grpc.ClientConn, error) {
	if e.cc != nil {
		return e.cc, nil
	}
	creds, err := e.transportCredentials()
	if err != nil {
		return nil, err
	}
	cc, err := grpc.NewClient(e.g.addr,
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxRecvBytes)))
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", e.g.addr, err)
	}
	e.cc = cc
	return cc, nil
}

// transportCredentials is plaintext unless a TLS flag is given: the daemon
// listens on loopback by default, where TLS buys nothing.
func (e *env) transportCredentials() (credentials.TransportCredentials, error) {
	if e.g.tlsCA == "" && e.g.tlsCert == "" {
		return insecure.NewCredentials(), nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if e.g.tlsCA != "" {
		pem, err := os.ReadFile(e.g.tlsCA)
		if err != nil {
			return nil, fmt.Errorf("--tls-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--tls-ca: %s holds no PEM certificate", e.g.tlsCA)
		}
		cfg.RootCAs = pool
	}
	if e.g.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(e.g.tlsCert, e.g.tlsKey)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return credentials.NewTLS(cfg), nil
}

func (e *env) registry() (skillpassv1.RegistryServiceClient, error) {
	cc, err := e.conn()
	if err != nil {
		return nil, err
	}
	return skillpassv1.NewRegistryServiceClient(cc), nil
}

func (e *env) admin() (skillpassv1.AdminServiceClient, error) {
	cc, err := e.conn()
	if err != nil {
		return nil, err
	}
	return skillpassv1.NewAdminServiceClient(cc), nil
}

func (e *env) issuance() (skillpassv1.IssuanceServiceClient, error) {
	cc, err := e.conn()
	if err != nil {
		return nil, err
	}
	return skillpassv1.NewIssuanceServiceClient(cc), nil
}

func (e *env) verification() (skillpassv1.VerificationServiceClient, error) {
	cc, err := e.conn()
	if err != nil {
		return nil, err
	}
	return skillpassv1.NewVerificationServiceClient(cc), nil
}

func (e *env) close() {
	if e.cc != nil {
		e.cc.Close()
	}
}
