package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/model"
)

// Backup and restore of the AdminService: snapshots travel as streams of
// chunks, with "sha256:<hex>" of the whole snapshot at the end.

func (s *AdminServer) Backup(_ *pb.BackupRequest, stream grpc.ServerStreamingServer[pb.BackupResponse]) error {
	ctx := stream.Context()
	w := newChunkWriter(stream.Send, s.chunkBytes)
	n, err := s.svc.Backup(ctx, Caller(ctx), w)
	if err != nil {
		return err
	}
	return w.finish(n)
}

// chunkWriter turns the snapshot the domain writes into BackupResponse
// messages. It holds back the last chunk so that it can carry the size and
// digest of the whole snapshot.
type chunkWriter struct {
	send  func(*pb.BackupResponse) error
	size  int
	buf   []byte
	total int64
	hash  hash.Hash
}

func newChunkWriter(send func(*pb.BackupResponse) error, size int) *chunkWriter {
	return &chunkWriter{send: send, size: size, buf: make([]byte, 0, size), hash: sha256.New()}
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if len(w.buf) == w.size {
			if err := w.send(&pb.BackupResponse{Data: w.buf}); err != nil {
				return written, err
			}
			// A sent message must not change afterwards (grpc may encode it
			// lazily), so each chunk gets its own buffer.
			w.buf = make([]byte, 0, w.size)
		}
		n := min(len(p), w.size-len(w.buf))
		w.buf = append(w.buf, p[:n]...)
		w.hash.Write(p[:n])
		w.total += int64(n)
		written += n
		p = p[n:]
	}
	return written, nil
}

// finish sends the last chunk. reported is what the domain says it wrote;
// a mismatch means the snapshot is not what the client would get, so the
// stream fails rather than end with a wrong total.
func (w *chunkWriter) finish(reported int64) error {
	if reported != w.total {
		return fmt.Errorf("backup reported %d bytes but wrote %d", reported, w.total)
	}
	return w.send(&pb.BackupResponse{Data: w.buf, TotalBytes: w.total, Sha256: digest(w.hash)})
}

func digest(h hash.Hash) string { return "sha256:" + hex.EncodeToString(h.Sum(nil)) }

// Restore receives the whole snapshot before the domain sees any of it: the
// digest is checked first, and the database is replaced in one short step
// rather than held up by a slow upload.
func (s *AdminServer) Restore(stream grpc.ClientStreamingServer[pb.RestoreRequest, pb.RestoreResponse]) error {
	ctx := stream.Context()
	// Refuse a caller who may not restore before reading the upload.
	if err := s.svc.AuthorizeRestore(Caller(ctx)); err != nil {
		return err
	}
	data, sum, err := s.receiveSnapshot(stream)
	if err != nil {
		return err
	}
	n, err := s.svc.Restore(ctx, Caller(ctx), bytes.NewReader(data))
	if err != nil {
		return err
	}
	return stream.SendAndClose(&pb.RestoreResponse{TotalBytes: n, Sha256: sum})
}

// receiveSnapshot collects the chunks, at most s.maxRestore bytes, and
// checks the digest the client sent, if any. It returns the data and its
// digest.
func (s *AdminServer) receiveSnapshot(stream grpc.ClientStreamingServer[pb.RestoreRequest, pb.RestoreResponse]) ([]byte, string, error) {
	var (
		buf  bytes.Buffer
		h    = sha256.New()
		want string
	)
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", err
		}
		if int64(buf.Len())+int64(len(req.GetData())) > s.maxRestore {
			return nil, "", status.Errorf(codes.ResourceExhausted, "snapshot is larger than the server's limit of %d bytes", s.maxRestore)
		}
		buf.Write(req.GetData())
		h.Write(req.GetData())
		if d := req.GetSha256(); d != "" {
			if want != "" && d != want {
				return nil, "", model.Invalid("sha256", "sent twice with different values: %s and %s", want, d)
			}
			want = d
		}
	}
	got := digest(h)
	if want != "" && want != got {
		return nil, "", model.Invalid("sha256", "got %s, but the data received hashes to %s", want, got)
	}
	return buf.Bytes(), got, nil
}
