package main

import (
	"fmt"
	"io"
	"sort"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// renderError prints err for a person: for a gRPC status its code and
// message, then every field violation and the machine-readable reason from
// the status details, so the user sees which field to fix and scripts can
// match the reason.
func renderError(w io.Writer, err error) {
	st, ok := status.FromError(err)
	if !ok {
		fmt.Fprintf(w, "error: %v\n", err)
		return
	}
	fmt.Fprintf(w, "error: %s: %s\n", st.Code(), st.Message())
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				fmt.Fprintf(w, "  %s: %s\n", v.GetField(), v.GetDescription())
			}
		case *errdetails.ErrorInfo:
			fmt.Fprintf(w, "  reason: %s", d.GetReason())
			if d.GetDomain() != "" {
				fmt.Fprintf(w, " (%s)", d.GetDomain())
			}
			fmt.Fprintln(w)
			keys := make([]string, 0, len(d.GetMetadata()))
			for k := range d.GetMetadata() {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(w, "  %s: %s\n", k, d.GetMetadata()[k])
			}
		case *errdetails.PreconditionFailure:
			for _, v := range d.GetViolations() {
				fmt.Fprintf(w, "  precondition %s %s: %s\n", v.GetType(), v.GetSubject(), v.GetDescription())
			}
		case *errdetails.ResourceInfo:
			fmt.Fprintf(w, "  resource: %s %s\n", d.GetResourceType(), d.GetResourceName())
		case *errdetails.RetryInfo:
			fmt.Fprintf(w, "  retry after: %s\n", d.GetRetryDelay().AsDuration())
		case *errdetails.LocalizedMessage:
			fmt.Fprintf(w, "  [%s] %s\n", d.GetLocale(), d.GetMessage())
		}
	}
}
