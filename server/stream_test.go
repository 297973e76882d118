package server

import (
	"bytes"
	"context"
	"errors"
	"io"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// backupOver downloads a snapshot and returns its bytes and the last
// chunk's metadata.
func backupOver(ctx context.Context, c pb.AdminServiceClient) (data []byte, last *pb.BackupResponse, chunks int, err error) {
	stream, err := c.Backup(ctx, &pb.BackupRequest{})
	if err != nil {
		return nil, nil, 0, err
	}
	var buf bytes.Buffer
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return buf.Bytes(), last, chunks, nil
		}
		if err != nil {
			return nil, nil, 0, err
		}
		buf.Write(msg.GetData())
		last = msg
		chunks++
	}
}

// restoreOver uploads data in chunks of chunkSize, with sha256 (if not
// "") on the last chunk.
func restoreOver(ctx context.Context, c pb.AdminServiceClient, data []byte, chunkSize int, sha256 string) (*pb.RestoreResponse, error) {
	stream, err := c.Restore(ctx)
	if err != nil {
		return nil, err
	}
	for off := 0; off < len(data) || off == 0; off += chunkSize {
		end := min(off+chunkSize, len(data))
		msg := &pb.RestoreRequest{Data: data[off:end]}
		if end == len(data) {
			msg.Sha256 = sha256
		}
		if err := stream.Send(msg); err != nil {
			// The server ended the call; CloseAndRecv returns why.
			break
		}
		if end == len(data) {
			break
		}
	}
	return stream.CloseAndRecv()
}
