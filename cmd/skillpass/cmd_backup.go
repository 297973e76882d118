package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// restoreChunkBytes keeps each restore message well under the server's
// maximum message size.
const restoreChunkBytes = 256 << 10

func backupCommand() *node {
	return &node{
		name:    "backup",
		summary: "Save a consistent snapshot of the whole database to a file while the service keeps serving. Root only.",
		example: "skillpass --token-file skillpass-data/root.token backup --out skillpass-2025-06-01.db",
		setup:   backup,
	}
}

func restoreCommand() *node {
	return &node{
		name:    "restore",
		summary: "Replace the whole database with a snapshot made by backup. The server checks it before replacing anything. Root only.",
		example: "skillpass --token-file skillpass-data/root.token restore --in skillpass-2025-06-01.db",
		setup:   restore,
	}
}

func sha256Name(h hash.Hash) string { return "sha256:" + hex.EncodeToString(h.Sum(nil)) }

func backup(fs *flag.FlagSet) action {
	out := fs.String("out", "", "snapshot `file` to write (required); written atomically, mode 0600")
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("out", *out); err != nil {
			return err
		}
		c, err := e.admin()
		if err != nil {
			return err
		}
		stream, err := c.Backup(ctx, &pb.BackupRequest{})
		if err != nil {
			return err
		}
		// Write next to the target and rename only once the checksum
		// matches: a broken stream never replaces a good older backup.
		tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".tmp-*")
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		defer os.Remove(tmp.Name()) // no-op after the rename
		sum, err := receiveBackup(stream, tmp)
		if err != nil {
			tmp.Close()
			return err
		}
		// A snapshot holds every token hash and record: owner-only.
		if err := commitTemp(tmp, *out, 0o600); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if e.out.json {
			return e.out.writeJSON(sum)
		}
		_, err = fmt.Fprintf(e.stdout, "wrote %d bytes to %s (%s)\n", sum.GetTotalBytes(), *out, sum.GetSha256())
		return err
	}
}

// receiveBackup copies the stream to w and checks it against the size and
// SHA-256 the server sends with the last chunk. It returns that last
// chunk's summary (without data).
func receiveBackup(stream interface {
	Recv() (*pb.BackupResponse, error)
}, w io.Writer) (*pb.BackupResponse, error) {
	h := sha256.New()
	mw := io.MultiWriter(w, h)
	var total int64
	var last *pb.BackupResponse
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if last != nil {
			return nil, fmt.Errorf("backup stream: data after the final chunk")
		}
		n, err := mw.Write(chunk.GetData())
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		total += int64(n)
		if chunk.GetSha256() != "" {
			last = &pb.BackupResponse{TotalBytes: chunk.GetTotalBytes(), Sha256: chunk.GetSha256()}
		}
	}
	if last == nil {
		return nil, fmt.Errorf("backup stream ended without its checksum: the snapshot is incomplete")
	}
	if last.GetTotalBytes() != total {
		return nil, fmt.Errorf("backup stream: server says %d bytes, received %d", last.GetTotalBytes(), total)
	}
	if got := sha256Name(h); got != last.GetSha256() {
		return nil, fmt.Errorf("backup stream: checksum mismatch: server says %s, received %s", last.GetSha256(), got)
	}
	return last, nil
}

func restore(fs *flag.FlagSet) action {
	in := fs.String("in", "", "snapshot `file` made by backup (required)")
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("in", *in); err != nil {
			return err
		}
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		defer f.Close()
		c, err := e.admin()
		if err != nil {
			return err
		}
		stream, err := c.Restore(ctx)
		if err != nil {
			return err
		}
		if err := sendSnapshot(f, stream.Send); err != nil {
			// The server's reason for ending the stream beats our EOF.
			if _, rerr := stream.CloseAndRecv(); rerr != nil {
				return rerr
			}
			return err
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			return err
		}
		if e.out.json {
			return e.out.writeJSON(resp)
		}
		_, err = fmt.Fprintf(e.stdout, "restored %d bytes from %s (%s)\n", resp.GetTotalBytes(), *in, resp.GetSha256())
		return err
	}
}

// sendSnapshot streams r in chunks and puts the SHA-256 of everything on the
// last one, so the server can reject a snapshot damaged on the way. It peeks
// one byte ahead to know which chunk is the last.
func sendSnapshot(r io.Reader, send func(*pb.RestoreRequest) error) error {
	h := sha256.New()
	br := bufio.NewReaderSize(r, restoreChunkBytes)
	for {
		chunk := make([]byte, restoreChunkBytes)
		n, err := io.ReadFull(br, chunk)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("restore: read snapshot: %w", err)
		}
		chunk = chunk[:n]
		h.Write(chunk)
		last := err != nil
		if !last {
			_, perr := br.Peek(1)
			if perr != nil && !errors.Is(perr, io.EOF) {
				return fmt.Errorf("restore: read snapshot: %w", perr)
			}
			last = perr != nil
		}
		req := &pb.RestoreRequest{Data: chunk}
		if last {
			req.Sha256 = sha256Name(h)
		}
		if err := send(req); err != nil {
			return fmt.Errorf("restore: send: %w", err)
		}
		if last {
			return nil
		}
	}
}
