package security

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// basicB64 encodes s as Basic credentials are.
func basicB64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestHTTPBasicRFC7617(t *testing.T) {
	tests := []struct {
		name               string
		headers            []string
		wantUser, wantPass string
		wantErr            error
	}{
		{name: "plain", headers: []string{"Basic " + basicB64("Aladdin:open sesame")}, wantUser: "Aladdin", wantPass: "open sesame"},
		{name: "colon in password", headers: []string{"Basic " + basicB64("user:pa:ss:")}, wantUser: "user", wantPass: "pa:ss:"},
		{name: "empty password", headers: []string{"Basic " + basicB64("user:")}, wantUser: "user"},
		{name: "empty user-id", headers: []string{"Basic " + basicB64(":pw")}, wantPass: "pw"},
		{name: "utf-8", headers: []string{"Basic " + basicB64("test:123£")}, wantUser: "test", wantPass: "123£"},
		{name: "scheme case-insensitive", headers: []string{"bAsIc " + basicB64("u:p")}, wantUser: "u", wantPass: "p"},
		{name: "several spaces", headers: []string{"Basic   " + basicB64("u:p")}, wantUser: "u", wantPass: "p"},
		{name: "surrounding whitespace", headers: []string{"\tBasic " + basicB64("u:p") + " "}, wantUser: "u", wantPass: "p"},
		{name: "no header", wantErr: ErrNoCredentials},
		{name: "bearer header", headers: []string{"Bearer tok"}, wantErr: ErrNoCredentials},
		{name: "digest header", headers: []string{`Digest username="u"`}, wantErr: ErrNoCredentials},
		{name: "basic alone", headers: []string{"Basic"}, wantErr: ErrMalformedCredentials},
		{name: "bad base64", headers: []string{"Basic !!!"}, wantErr: ErrMalformedCredentials},
		{name: "missing padding", headers: []string{"Basic " + strings.TrimRight(basicB64("u:pw"), "=")}, wantErr: ErrMalformedCredentials},
		{name: "non-canonical bits", headers: []string{"Basic dTp="}, wantErr: ErrMalformedCredentials},
		{name: "no colon", headers: []string{"Basic " + basicB64("userpass")}, wantErr: ErrMalformedCredentials},
		{name: "invalid utf-8", headers: []string{"Basic " + basicB64("u:\xff\xfe")}, wantErr: ErrMalformedCredentials},
		{name: "control character", headers: []string{"Basic " + basicB64("u:p\x00w")}, wantErr: ErrMalformedCredentials},
		{name: "two tokens", headers: []string{"Basic " + basicB64("u:p") + " " + basicB64("x:y")}, wantErr: ErrMalformedCredentials},
		{name: "two headers", headers: []string{"Basic " + basicB64("u:p"), "Basic " + basicB64("u:p")}, wantErr: ErrMalformedCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, h := range tt.headers {
				r.Header.Add("Authorization", h)
			}
			for _, optional := range []bool{false, true} {
				got, err := HTTPBasic{Realm: "r", Optional: optional}.Authenticate(r)
				switch {
				case tt.wantErr == nil:
					if err != nil {
						t.Fatalf("optional=%v: refused: %v", optional, err)
					}
					b := got.(HTTPBasic)
					if !b.Present() || b.Username() != tt.wantUser || b.Password() != tt.wantPass {
						t.Errorf("optional=%v: got %q:%q present=%v, want %q:%q",
							optional, b.Username(), b.Password(), b.Present(), tt.wantUser, tt.wantPass)
					}
				case tt.wantErr == ErrNoCredentials && optional:
					if err != nil || got.Present() {
						t.Errorf("optional: got %v, %v; want an absent credential", got, err)
					}
				default:
					var se *Error
					if !errors.As(err, &se) || !errors.Is(err, tt.wantErr) || se.Status != http.StatusUnauthorized {
						t.Errorf("optional=%v: err = %v, want a 401 wrapping %v", optional, err, tt.wantErr)
					}
				}
			}
		})
	}
}

func TestHTTPBasicChallenge(t *testing.T) {
	tests := []struct {
		name, realm, want string
	}{
		{"simple", "example", `Basic realm="example", charset="UTF-8"`},
		{"empty realm", "", `Basic realm="", charset="UTF-8"`},
		{"quotes escaped", `say "hi"`, `Basic realm="say \"hi\"", charset="UTF-8"`},
		{"backslash escaped", `a\b`, `Basic realm="a\\b", charset="UTF-8"`},
		{"control characters dropped", "a\r\nb", `Basic realm="ab", charset="UTF-8"`},
		{"utf-8 kept", "Zoë", `Basic realm="Zoë", charset="UTF-8"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := HTTPBasic{Realm: tt.realm}
			if got := s.Challenge(); got != tt.want {
				t.Errorf("Challenge = %s, want %s", got, tt.want)
			}
			_, err := s.Authenticate(httptest.NewRequest(http.MethodGet, "/", nil))
			var se *Error
			if !errors.As(err, &se) || len(se.Challenges) != 1 || se.Challenges[0] != tt.want {
				t.Errorf("refusal %v does not carry the challenge %s", err, tt.want)
			}
		})
	}
}

func TestHTTPBasicValidate(t *testing.T) {
	errStore := errors.New("store down")
	type ctxKey struct{}
	tests := []struct {
		name     string
		validate func(ctx context.Context, u, p string) (bool, error)
		wantErr  error // nil: accepted
		refusal  bool  // the error is an *Error
	}{
		{name: "nil validate extracts only"},
		{name: "accepted", validate: func(context.Context, string, string) (bool, error) { return true, nil }},
		{
			name:     "rejected",
			validate: func(context.Context, string, string) (bool, error) { return false, nil },
			wantErr:  ErrInvalidCredentials, refusal: true,
		},
		{
			name:     "validator fails",
			validate: func(context.Context, string, string) (bool, error) { return false, errStore },
			wantErr:  errStore,
		},
		{
			name: "sees the request context and the credentials",
			validate: func(ctx context.Context, u, p string) (bool, error) {
				return ctx.Value(ctxKey{}) == "v" && u == "u" && p == "p:w", nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "v"))
			r.Header.Set("Authorization", "Basic "+basicB64("u:p:w"))
			got, err := HTTPBasic{Validate: tt.validate}.Authenticate(r)
			if tt.wantErr == nil {
				if err != nil || got.(HTTPBasic).Username() != "u" {
					t.Fatalf("got %v, %v; want u accepted", got, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want it to wrap %v", err, tt.wantErr)
			}
			var se *Error
			if errors.As(err, &se) != tt.refusal {
				t.Fatalf("err %v: is *Error = %v, want %v", err, !tt.refusal, tt.refusal)
			}
			if !tt.refusal {
				// A failing validator becomes a 500 that does not reveal the cause.
				w := httptest.NewRecorder()
				WriteError(w, err)
				if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), errStore.Error()) {
					t.Errorf("WriteError = %d %s, want a 500 without the cause", w.Code, w.Body)
				}
			}
		})
	}
}

func FuzzBasic(f *testing.F) {
	for _, seed := range []string{
		"", "Basic", "Basic ", "Basic " + basicB64("u:p"), "basic " + basicB64("u:p:q"), "Basic " + basicB64(":"),
		"Basic !!!", "Basic " + basicB64("nocolon"), "Basic " + basicB64("u:\xff"), "Bearer x", "BASIC   " + basicB64("ü:ö"),
		"Basic dTpw", "Basic dTp=", "Basic dTo=",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{header}
		got, err := HTTPBasic{Realm: "fuzz"}.Authenticate(r)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || se.Status != http.StatusUnauthorized {
				t.Fatalf("err = %v, want a 401 *Error", err)
			}
			return
		}
		b := got.(HTTPBasic)
		if strings.Contains(b.Username(), ":") {
			t.Fatalf("user-id %q contains a colon", b.Username())
		}
		// The accepted credentials, encoded again, read the same.
		r.Header["Authorization"] = []string{confBasicHeader(b.Username(), b.Password())}
		again, err := HTTPBasic{}.Authenticate(r)
		if err != nil {
			t.Fatalf("round trip of %q:%q refused: %v", b.Username(), b.Password(), err)
		}
		if a := again.(HTTPBasic); a.Username() != b.Username() || a.Password() != b.Password() {
			t.Fatalf("round trip gave %q:%q, want %q:%q", a.Username(), a.Password(), b.Username(), b.Password())
		}
	})
}
