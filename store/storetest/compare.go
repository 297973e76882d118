package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// assertEqual compares two domain values field for field after normalising
// both: a backend must keep the instant of every time (to the nanosecond)
// but not the zone it was written in, and may return an empty list as nil.
func assertEqual(t *testing.T, got, want any) {
	t.Helper()
	if d := difference(got, want); d != "" {
		t.Error(d)
	}
}

// difference describes how got differs from want, or returns "".
func difference(got, want any) string {
	g, w := normalised(got), normalised(want)
	if reflect.DeepEqual(g, w) {
		return ""
	}
	return fmt.Sprintf("round trip differs:\n got: %s\nwant: %s", dump(g), dump(w))
}

var timeType = reflect.TypeFor[time.Time]()

// normalised returns a deep copy of v with every time.Time in UTC (without
// monotonic reading) and every empty slice nil.
func normalised(v any) any {
	if v == nil {
		return nil
	}
	out := reflect.New(reflect.TypeOf(v)).Elem()
	copyNormalised(out, reflect.ValueOf(v))
	return out.Interface()
}

func copyNormalised(dst, src reflect.Value) {
	if src.Type() == timeType {
		t := src.Interface().(time.Time)
		if !t.IsZero() {
			dst.Set(reflect.ValueOf(t.UTC()))
		}
		return
	}
	switch src.Kind() {
	case reflect.Pointer:
		if !src.IsNil() {
			dst.Set(reflect.New(src.Type().Elem()))
			copyNormalised(dst.Elem(), src.Elem())
		}
	case reflect.Struct:
		for i := range src.NumField() {
			copyNormalised(dst.Field(i), src.Field(i))
		}
	case reflect.Slice:
		if src.Len() > 0 {
			dst.Set(reflect.MakeSlice(src.Type(), src.Len(), src.Len()))
			for i := range src.Len() {
				copyNormalised(dst.Index(i), src.Index(i))
			}
		}
	case reflect.Array:
		for i := range src.Len() {
			copyNormalised(dst.Index(i), src.Index(i))
		}
	default:
		dst.Set(src)
	}
}

// dump prints pointers' targets too, so a failure shows the differing field.
func dump(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		s := "["
		for i := range rv.Len() {
			if i > 0 {
				s += ", "
			}
			s += dump(rv.Index(i).Interface())
		}
		return s + "]"
	}
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		return fmt.Sprintf("&%+v", rv.Elem().Interface())
	}
	return fmt.Sprintf("%+v", v)
}
