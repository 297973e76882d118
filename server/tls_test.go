package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// testCA issues certificates for the TLS tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue returns PEM certificate and key for a server (127.0.0.1) or client.
func (ca *testCA) issue(t *testing.T, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "skillpass test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// serveTLS starts a server with tlsCfg on loopback TCP and returns its
// address.
func serveTLS(t *testing.T, tlsCfg *tls.Config) string {
	t.Helper()
	env := newTestEnv(t, envOptions{}) // for its domain services
	srv, err := New(Config{Registry: env.registry, Admin: env.admin, Issuer: env.issuer, Verifier: env.verifier, TLS: tlsCfg, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(lis)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return lis.Addr().String()
}

func callOverTLS(t *testing.T, addr string, clientCfg *tls.Config) error {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(credentials.NewTLS(clientCfg)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = pb.NewAdminServiceClient(conn).GetCaller(ctx, &pb.GetCallerRequest{})
	return err
}

func TestTLS(t *testing.T) {
	dir := t.TempDir()
	serverCA, clientCA, strangerCA := newTestCA(t, "server CA"), newTestCA(t, "client CA"), newTestCA(t, "stranger CA")
	certPEM, keyPEM := serverCA.issue(t, x509.ExtKeyUsageServerAuth)
	certFile, keyFile := writeFile(t, dir, "server.pem", certPEM), writeFile(t, dir, "server.key", keyPEM)
	clientCAFile := writeFile(t, dir, "client-ca.pem", clientCA.pem)

	trusting := x509.NewCertPool()
	trusting.AppendCertsFromPEM(serverCA.pem)
	clientCert := func(ca *testCA) []tls.Certificate {
		c, k := ca.issue(t, x509.ExtKeyUsageClientAuth)
		pair, err := tls.X509KeyPair(c, k)
		if err != nil {
			t.Fatal(err)
		}
		return []tls.Certificate{pair}
	}

	plainTLS, err := LoadTLS(certFile, keyFile, "")
	if err != nil {
		t.Fatalf("LoadTLS: %v", err)
	}
	mutualTLS, err := LoadTLS(certFile, keyFile, clientCAFile)
	if err != nil {
		t.Fatalf("LoadTLS with client CA: %v", err)
	}
	tlsAddr, mtlsAddr := serveTLS(t, plainTLS), serveTLS(t, mutualTLS)

	tests := []struct {
		name   string
		addr   string
		client *tls.Config
		want   codes.Code
	}{
		{"ok/tls", tlsAddr, &tls.Config{RootCAs: trusting}, codes.OK},
		{"error/tls with an untrusted server", tlsAddr, &tls.Config{RootCAs: x509.NewCertPool()}, codes.Unavailable},
		{"ok/mutual tls", mtlsAddr, &tls.Config{RootCAs: trusting, Certificates: clientCert(clientCA)}, codes.OK},
		{"error/mutual tls without a client certificate", mtlsAddr, &tls.Config{RootCAs: trusting}, codes.Unavailable},
		{"error/mutual tls with a certificate of another CA", mtlsAddr, &tls.Config{RootCAs: trusting, Certificates: clientCert(strangerCA)}, codes.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireStatus(t, callOverTLS(t, tt.addr, tt.client), tt.want, "")
		})
	}
}

func TestLoadTLSErrors(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "ca")
	certPEM, keyPEM := ca.issue(t, x509.ExtKeyUsageServerAuth)
	cert, key := writeFile(t, dir, "c.pem", certPEM), writeFile(t, dir, "k.pem", keyPEM)
	notPEM := writeFile(t, dir, "junk", []byte("junk"))
	tests := []struct {
		name                string
		cert, key, clientCA string
	}{
		{"error/cert without key", cert, "", ""},
		{"error/key without cert", "", key, ""},
		{"error/missing cert file", filepath.Join(dir, "none.pem"), key, ""},
		{"error/key is not a key", cert, notPEM, ""},
		{"error/client CA not PEM", cert, key, notPEM},
		{"error/client CA missing", cert, key, filepath.Join(dir, "none.pem")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadTLS(tt.cert, tt.key, tt.clientCA); err == nil {
				t.Fatal("LoadTLS accepted it")
			}
		})
	}
}
