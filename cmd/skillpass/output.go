package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// printer writes responses either for people (aligned "key: value" lines,
// tables for lists) or, with --json, as protojson for scripts.
type printer struct {
	w    io.Writer
	json bool
}

var jsonOut = protojson.MarshalOptions{Multiline: true, Indent: "  "}

func (p *printer) writeJSON(m proto.Message) error {
	b, err := jsonOut.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	_, err = fmt.Fprintf(p.w, "%s\n", b)
	return err
}

// message prints one resource or response.
func (p *printer) message(m proto.Message) error {
	if p.json {
		return p.writeJSON(m)
	}
	var kvs [][2]string
	flatten("", m.ProtoReflect(), &kvs)
	width := 0
	for _, kv := range kvs {
		width = max(width, len(kv[0]))
	}
	for _, kv := range kvs {
		if _, err := fmt.Fprintf(p.w, "%-*s  %s\n", width+1, kv[0]+":", kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// table prints a list response: m as protojson with --json, else the rows
// under headers. next is the token of the following page, if any.
func (p *printer) table(m proto.Message, headers []string, rows [][]string, next string) error {
	if p.json {
		return p.writeJSON(m)
	}
	if len(rows) == 0 {
		_, err := fmt.Fprintln(p.w, "(none)")
		return err
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if next != "" {
		_, err := fmt.Fprintf(p.w, "\nMore results: pass --page-token %s, or --all.\n", next)
		return err
	}
	return nil
}

// flatten turns a message into "path: value" pairs in field order, with
// nested messages as dotted paths and repeated fields indexed, so any
// response prints the same way without per-type code.
func flatten(prefix string, m protoreflect.Message, out *[][2]string) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		key := prefix + string(fd.Name())
		// A false bool is an answer ("accredited: false"), not an absence.
		if !m.Has(fd) && fd.Kind() != protoreflect.BoolKind {
			continue
		}
		v := m.Get(fd)
		switch {
		case fd.IsList():
			l := v.List()
			for j := 0; j < l.Len(); j++ {
				flattenValue(fmt.Sprintf("%s[%d]", key, j), fd, l.Get(j), out)
			}
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				flattenValue(fmt.Sprintf("%s[%s]", key, k.String()), fd.MapValue(), mv, out)
				return true
			})
		default:
			flattenValue(key, fd, v, out)
		}
	}
}

func flattenValue(key string, fd protoreflect.FieldDescriptor, v protoreflect.Value, out *[][2]string) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		msg := v.Message()
		switch msg.Descriptor().FullName() {
		case "google.protobuf.Timestamp":
			secs := msg.Get(msg.Descriptor().Fields().ByName("seconds")).Int()
			nanos := msg.Get(msg.Descriptor().Fields().ByName("nanos")).Int()
			*out = append(*out, [2]string{key, time.Unix(secs, nanos).UTC().Format(time.RFC3339Nano)})
		case "google.protobuf.Duration":
			secs := msg.Get(msg.Descriptor().Fields().ByName("seconds")).Int()
			nanos := msg.Get(msg.Descriptor().Fields().ByName("nanos")).Int()
			*out = append(*out, [2]string{key, (time.Duration(secs)*time.Second + time.Duration(nanos)).String()})
		default:
			flatten(key+".", msg, out)
		}
	case protoreflect.EnumKind:
		name := string(fd.Enum().Values().ByNumber(v.Enum()).Name())
		if name == "" {
			name = fmt.Sprint(v.Enum())
		}
		*out = append(*out, [2]string{key, name})
	case protoreflect.BytesKind:
		*out = append(*out, [2]string{key, fmt.Sprintf("(%d bytes)", len(v.Bytes()))})
	default:
		*out = append(*out, [2]string{key, v.String()})
	}
}

// enumName prints an enum value without its type prefix, e.g. ACTIVE for
// ACCREDITATION_STATE_ACTIVE, for table cells.
func enumName(e protoreflect.Enum) string {
	d := e.Descriptor().Values().ByNumber(e.Number())
	if d == nil {
		return fmt.Sprint(e.Number())
	}
	name := string(d.Name())
	if p := enumPrefix(e.Descriptor()); strings.HasPrefix(name, p) {
		return name[len(p):]
	}
	return name
}

// enumPrefix is the shared prefix of an enum's value names, by the protobuf
// style guide the upper-snake enum name plus "_", e.g. "PRINCIPAL_KIND_".
func enumPrefix(d protoreflect.EnumDescriptor) string {
	name := string(d.Values().Get(0).Name()) // the _UNSPECIFIED value
	return strings.TrimSuffix(name, "UNSPECIFIED")
}

// parseEnum accepts an enum value by its full name or by its short name in
// any case with dashes for underscores: "sector-authority" and
// "PRINCIPAL_KIND_SECTOR_AUTHORITY" are the same. The unspecified value is
// never accepted.
func parseEnum(d protoreflect.EnumDescriptor, flagName, s string) (protoreflect.EnumNumber, error) {
	want := strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
	prefix := enumPrefix(d)
	var names []string
	for i := 1; i < d.Values().Len(); i++ {
		v := d.Values().Get(i)
		full := string(v.Name())
		short := strings.TrimPrefix(full, prefix)
		if want == full || want == short {
			return v.Number(), nil
		}
		names = append(names, strings.ToLower(strings.ReplaceAll(short, "_", "-")))
	}
	return 0, usagef("--%s: want one of %s, got %q", flagName, strings.Join(names, ", "), s)
}
