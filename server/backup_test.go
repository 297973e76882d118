package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(h[:])
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	w := newWorld(t, envOptions{})
	data, last, chunks, err := backupOver(w.root(), w.adm)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if last.GetTotalBytes() != int64(len(data)) || last.GetSha256() != sum(data) {
		t.Fatalf("last chunk says %d bytes %s; received %d bytes %s", last.GetTotalBytes(), last.GetSha256(), len(data), sum(data))
	}
	if chunks < 1 {
		t.Fatalf("got %d chunks", chunks)
	}

	// A sector created after the backup is gone after the restore.
	if _, err := w.reg.CreateSector(w.root(), &pb.CreateSectorRequest{SectorId: "later", Sector: sectorContent()}); err != nil {
		t.Fatalf("create sector: %v", err)
	}
	resp, err := restoreOver(w.root(), w.adm, data, 4096, sum(data))
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if resp.GetTotalBytes() != int64(len(data)) || resp.GetSha256() != sum(data) {
		t.Errorf("restore answered %d bytes %s, want %d %s", resp.GetTotalBytes(), resp.GetSha256(), len(data), sum(data))
	}
	_, err = w.reg.GetSector(w.root(), &pb.GetSectorRequest{Name: "sectors/later"})
	requireStatus(t, err, codes.NotFound, "")
	if _, err := w.reg.GetSector(w.root(), &pb.GetSectorRequest{Name: ownSector}); err != nil {
		t.Errorf("sector from the backup: %v", err)
	}
	if err := w.store.Check(); err != nil {
		t.Errorf("database check after restore: %v", err)
	}
}

func TestRestoreRefusals(t *testing.T) {
	w := newWorld(t, envOptions{maxRestoreBytes: 1 << 20})
	data, _, _, err := backupOver(w.root(), w.adm)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	tests := []struct {
		name       string
		caller     context.Context
		data       []byte
		sha        string
		wantCode   codes.Code
		wantReason string
	}{
		{"error/digest mismatch", w.root(), data, sum([]byte("something else")), codes.InvalidArgument, reasonInvalidArgument},
		{"error/not a database", w.root(), bytes.Repeat([]byte("x"), 8192), "", codes.InvalidArgument, "BACKUP_INVALID"},
		{"error/larger than the limit", w.root(), make([]byte, 1<<20+1), "", codes.ResourceExhausted, ""},
		// Refused before the upload is read: an over-limit upload from a
		// non-root caller is PermissionDenied, not ResourceExhausted.
		{"error/not root, refused before the upload", w.client(), make([]byte, 1<<20+1), "", codes.PermissionDenied, "PERMISSION_DENIED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := w.reg.CreateSector(w.root(), &pb.CreateSectorRequest{SectorId: w.unique("kept"), Sector: sectorContent()}); err != nil {
				t.Fatalf("create sector: %v", err)
			}
			_, err := restoreOver(tt.caller, w.adm, tt.data, 64<<10, tt.sha)
			requireStatus(t, err, tt.wantCode, tt.wantReason)
			// Nothing was replaced: the sector made just now is there.
			name := fmt.Sprintf("sectors/kept-%d", w.seq)
			if _, err := w.reg.GetSector(w.root(), &pb.GetSectorRequest{Name: name}); err != nil {
				t.Errorf("after a refused restore: %v", err)
			}
		})
	}
}

func TestChunkWriter(t *testing.T) {
	tests := []struct {
		name       string
		writes     []int // sizes of successive writes
		chunk      int
		wantChunks []int // data sizes of the messages sent
	}{
		{"ok/empty snapshot", nil, 4, []int{0}},
		{"ok/less than a chunk", []int{3}, 4, []int{3}},
		{"ok/exactly one chunk", []int{4}, 4, []int{4}},
		{"ok/split writes", []int{3, 3, 3}, 4, []int{4, 4, 1}},
		{"ok/one large write", []int{9}, 4, []int{4, 4, 1}},
		{"ok/exact multiple", []int{8}, 4, []int{4, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent []*pb.BackupResponse
			w := newChunkWriter(func(m *pb.BackupResponse) error { sent = append(sent, m); return nil }, tt.chunk)
			var all []byte
			for i, n := range tt.writes {
				p := bytes.Repeat([]byte{byte('a' + i)}, n)
				all = append(all, p...)
				if got, err := w.Write(p); err != nil || got != n {
					t.Fatalf("write: %d, %v", got, err)
				}
			}
			if err := w.finish(int64(len(all))); err != nil {
				t.Fatalf("finish: %v", err)
			}
			var sizes []int
			var joined []byte
			for _, m := range sent {
				sizes = append(sizes, len(m.GetData()))
				joined = append(joined, m.GetData()...)
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tt.wantChunks) {
				t.Errorf("got chunks %v, want %v", sizes, tt.wantChunks)
			}
			if !bytes.Equal(joined, all) {
				t.Errorf("chunks do not join to the data written")
			}
			last := sent[len(sent)-1]
			if last.GetTotalBytes() != int64(len(all)) || last.GetSha256() != sum(all) {
				t.Errorf("last chunk: %d %s, want %d %s", last.GetTotalBytes(), last.GetSha256(), len(all), sum(all))
			}
			for _, m := range sent[:len(sent)-1] {
				if m.GetSha256() != "" || m.GetTotalBytes() != 0 {
					t.Errorf("a chunk before the last carries the summary")
				}
			}
		})
	}
	t.Run("error/size mismatch", func(t *testing.T) {
		w := newChunkWriter(func(*pb.BackupResponse) error { return nil }, 4)
		w.Write([]byte("abc"))
		if err := w.finish(4); err == nil {
			t.Fatal("finish accepted a reported size that differs from what was written")
		}
	})
}
