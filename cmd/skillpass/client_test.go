package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// fakeServer stands in for skillpassd over a real loopback gRPC connection,
// so these tests cover what the CLI sends and how it reads the answers;
// the real daemon is tested end to end in e2e/.
type fakeServer struct {
	pb.UnimplementedRegistryServiceServer
	pb.UnimplementedAdminServiceServer

	mu       sync.Mutex
	auth     []string // authorization metadata of every call
	created  *pb.CreateProfileVersionRequest
	snapshot []byte // what Backup streams
	badSum   bool   // Backup announces a wrong checksum
	restored []byte
	restSum  string
}

var kvk = regexp.MustCompile(`^[0-9]{8}$`)

func (f *fakeServer) note(ctx context.Context) {
	md, _ := metadata.FromIncomingContext(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth = append(f.auth, strings.Join(md.Get("authorization"), ","))
}

func (f *fakeServer) CreateIssuer(ctx context.Context, r *pb.CreateIssuerRequest) (*pb.Issuer, error) {
	f.note(ctx)
	if !kvk.MatchString(r.GetIssuer().GetKvkNumber()) {
		st, _ := status.New(codes.InvalidArgument, "invalid argument").WithDetails(
			&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "issuer.kvk_number", Description: "must be exactly 8 digits"}}},
			&errdetails.ErrorInfo{Reason: "INVALID_ARGUMENT", Domain: "skillpass.nl"})
		return nil, st.Err()
	}
	is := proto.Clone(r.GetIssuer()).(*pb.Issuer)
	is.Name = "issuers/" + r.GetIssuerId()
	return is, nil
}

func (f *fakeServer) CreateProfileVersion(ctx context.Context, r *pb.CreateProfileVersionRequest) (*pb.ProfileVersion, error) {
	f.note(ctx)
	f.mu.Lock()
	f.created = r
	f.mu.Unlock()
	pv := proto.Clone(r.GetProfileVersion()).(*pb.ProfileVersion)
	pv.Name = r.GetParent() + "/versions/1"
	pv.State = pb.ProfileState_PROFILE_STATE_DRAFT
	return pv, nil
}

func (f *fakeServer) GetProfileVersion(ctx context.Context, r *pb.GetProfileVersionRequest) (*pb.ProfileVersion, error) {
	f.note(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.created == nil {
		return nil, status.Error(codes.NotFound, "not found")
	}
	pv := proto.Clone(f.created.GetProfileVersion()).(*pb.ProfileVersion)
	pv.Name = r.GetName()
	return pv, nil
}

func (f *fakeServer) GetCaller(ctx context.Context, _ *pb.GetCallerRequest) (*pb.Principal, error) {
	f.note(ctx)
	return &pb.Principal{Name: "principals/root", Kind: pb.PrincipalKind_PRINCIPAL_KIND_ROOT, DisplayName: "root"}, nil
}

func (f *fakeServer) Backup(_ *pb.BackupRequest, stream grpc.ServerStreamingServer[pb.BackupResponse]) error {
	data := f.snapshot
	for len(data) > 100 {
		if err := stream.Send(&pb.BackupResponse{Data: data[:100]}); err != nil {
			return err
		}
		data = data[100:]
	}
	sum := sha256.Sum256(f.snapshot)
	if f.badSum {
		sum[0] ^= 1
	}
	return stream.Send(&pb.BackupResponse{Data: data, TotalBytes: int64(len(f.snapshot)), Sha256: fmt.Sprintf("sha256:%x", sum)})
}

func (f *fakeServer) Restore(stream grpc.ClientStreamingServer[pb.RestoreRequest, pb.RestoreResponse]) error {
	var buf bytes.Buffer
	var sum string
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if sum != "" {
			return status.Error(codes.InvalidArgument, "data after the chunk with the checksum")
		}
		buf.Write(req.GetData())
		sum = req.GetSha256()
	}
	f.mu.Lock()
	f.restored, f.restSum = buf.Bytes(), sum
	f.mu.Unlock()
	return stream.SendAndClose(&pb.RestoreResponse{TotalBytes: int64(buf.Len()), Sha256: sum})
}

func startFake(t *testing.T, f *fakeServer) string {
	t.Helper()
	return startServer(t, func(s *grpc.Server) {
		pb.RegisterRegistryServiceServer(s, f)
		pb.RegisterAdminServiceServer(s, f)
	})
}

// startServer serves the services register adds on a loopback port until
// the test ends and returns the address.
func startServer(t *testing.T, register func(*grpc.Server)) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	register(s)
	go s.Serve(lis)
	t.Cleanup(s.Stop)
	return lis.Addr().String()
}

func TestClientAgainstServer(t *testing.T) {
	f := &fakeServer{}
	addr := startFake(t, f)
	tokenFile := filepath.Join(t.TempDir(), "root.token")
	if err := os.WriteFile(tokenFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SKILLPASS_ADDR": addr}

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
		wantAuth   string
	}{
		{name: "ok/no token sends no authorization", args: []string{"whoami"}, wantStdout: "kind:          PRINCIPAL_KIND_ROOT", wantAuth: ""},
		{name: "ok/token file", args: []string{"--token-file", tokenFile, "whoami"}, wantStdout: "name:", wantAuth: "Bearer s3cret"},
		{name: "ok/token flag after command", args: []string{"whoami", "--token", "abc"}, wantStdout: "name:", wantAuth: "Bearer abc"},
		{
			name: "ok/issuer created", args: []string{"issuer", "create", "warmte-academie", "--legal-name", "Warmte Academie B.V.", "--kvk", "12345678"},
			wantStdout: "kvk_number:  12345678",
		},
		{
			name: "error/bad kvk names the field", args: []string{"issuer", "create", "x1", "--legal-name", "X", "--kvk", "123"},
			wantCode: exitError, wantStderr: "error: InvalidArgument: invalid argument\n  issuer.kvk_number: must be exactly 8 digits\n  reason: INVALID_ARGUMENT (skillpass.nl)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.mu.Lock()
			f.auth = nil
			f.mu.Unlock()
			code, stdout, stderr := runCLI(t, env, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) || !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stdout %q stderr %q; want %q / %q", stdout, stderr, tt.wantStdout, tt.wantStderr)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if len(f.auth) != 1 || f.auth[0] != tt.wantAuth {
				t.Errorf("authorization metadata %q, want %q", f.auth, tt.wantAuth)
			}
		})
	}
}

// TestImportExportRoundTrip imports an example through the CLI and exports
// it back: what the server received is the file, and the export parses to
// the same content.
func TestImportExportRoundTrip(t *testing.T) {
	f := &fakeServer{}
	env := map[string]string{"SKILLPASS_ADDR": startFake(t, f)}
	example := "../../examples/verzorgende-ig.json"
	code, stdout, stderr := runCLI(t, env, "--json", "profile", "import", "--file", example, "--sector", "zorg", "--profile", "verzorgende-ig")
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	var got struct{ Name, State string }
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || got.Name != "sectors/zorg/profiles/verzorgende-ig/versions/1" || got.State != "PROFILE_STATE_DRAFT" {
		t.Fatalf("import output %q (%v)", stdout, err)
	}
	want, err := readProfileFile(example, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.created.GetParent() != "sectors/zorg/profiles/verzorgende-ig" || !proto.Equal(f.created.GetProfileVersion(), want) {
		t.Fatalf("server received parent %q and a different profile", f.created.GetParent())
	}

	out := filepath.Join(t.TempDir(), "export.json")
	if code, _, stderr := runCLI(t, env, "profile", "export", got.Name, "--out", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	back, err := readProfileFile(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	back.Name = ""
	if !proto.Equal(back, want) {
		t.Error("exported profile differs from the imported one")
	}
	// The export names its version, so it re-imports without flags.
	if code, _, stderr := runCLI(t, env, "profile", "import", "--file", out); code != 0 {
		t.Fatalf("re-import: exit %d: %s", code, stderr)
	}
	if f.created.GetParent() != "sectors/zorg/profiles/verzorgende-ig" {
		t.Errorf("re-import went to %q", f.created.GetParent())
	}
}

func TestBackupAndRestore(t *testing.T) {
	snapshot := bytes.Repeat([]byte("skillpass-snapshot-"), 40000) // > 2 restore chunks
	tests := []struct {
		name      string
		badSum    bool
		wantCode  int
		wantError string
	}{
		{name: "ok"},
		{name: "error/checksum mismatch", badSum: true, wantCode: exitError, wantError: "checksum mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeServer{snapshot: snapshot, badSum: tt.badSum}
			env := map[string]string{"SKILLPASS_ADDR": startFake(t, f)}
			dir := t.TempDir()
			out := filepath.Join(dir, "backup.db")
			code, _, stderr := runCLI(t, env, "backup", "--out", out)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantError) {
				t.Fatalf("exit %d stderr %q; want %d %q", code, stderr, tt.wantCode, tt.wantError)
			}
			entries, _ := os.ReadDir(dir)
			if tt.wantCode != 0 {
				if len(entries) != 0 {
					t.Errorf("a failed backup left files: %v", entries)
				}
				return
			}
			b, err := os.ReadFile(out)
			if err != nil || !bytes.Equal(b, snapshot) {
				t.Fatalf("backup file differs from the snapshot (%v)", err)
			}
			if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
				t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
			}
			code, stdout, stderr := runCLI(t, env, "restore", "--in", out)
			if code != 0 {
				t.Fatalf("restore: exit %d: %s", code, stderr)
			}
			wantSum := fmt.Sprintf("sha256:%x", sha256.Sum256(snapshot))
			if !bytes.Equal(f.restored, snapshot) || f.restSum != wantSum || !strings.Contains(stdout, wantSum) {
				t.Errorf("server restored %d bytes with %q; want %d with %q", len(f.restored), f.restSum, len(snapshot), wantSum)
			}
		})
	}
}

func TestSendSnapshotChunking(t *testing.T) {
	for _, size := range []int{0, 1, restoreChunkBytes - 1, restoreChunkBytes, restoreChunkBytes + 1, 3 * restoreChunkBytes} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			data := bytes.Repeat([]byte{7}, size)
			var got []byte
			var sums []string
			err := sendSnapshot(bytes.NewReader(data), func(r *pb.RestoreRequest) error {
				got = append(got, r.GetData()...)
				sums = append(sums, r.GetSha256())
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("sent %d bytes, want %d", len(got), len(data))
			}
			want := fmt.Sprintf("sha256:%x", sha256.Sum256(data))
			for i, s := range sums {
				if (i == len(sums)-1) != (s != "") || (s != "" && s != want) {
					t.Fatalf("checksums %q: want exactly the last one to be %s", sums, want)
				}
			}
		})
	}
}
