package framework

import (
	"errors"
	"testing"
)

func TestHTTPErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		err  *HTTPError
		want string
	}{
		{&HTTPError{Status: 500, Err: errors.New("boom")}, "framework: Internal Server Error: boom"},
		{NewHTTPError(404, "no such item"), "framework: Not Found: no such item"},
		{&HTTPError{Status: 409, Detail: "taken", Err: errors.New("unique")}, "framework: Conflict: taken: unique"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
