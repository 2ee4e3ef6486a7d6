package security

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

const formCT = "application/x-www-form-urlencoded"

// formRequest builds a POST to target with body and the given headers
// (name, value pairs).
func formRequest(target, body string, headers ...string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

// clientBasic encodes client credentials the RFC 6749 §2.3.1 way: each part
// form-urlencoded, then HTTP Basic.
func clientBasic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// checkFormError asserts that err is a *FormError with status and exactly
// the wanted fields.
func checkFormError(t *testing.T, err error, status int, fields []FieldError) {
	t.Helper()
	var fe *FormError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v (%T), want a *FormError", err, err)
	}
	if fe.StatusCode() != status {
		t.Errorf("StatusCode = %d, want %d", fe.StatusCode(), status)
	}
	if !reflect.DeepEqual(fe.Fields, fields) {
		t.Errorf("Fields = %+v, want %+v", fe.Fields, fields)
	}
	if fe.Detail == "" {
		t.Error("empty detail")
	}
}

func formField(name, msg string) FieldError {
	return FieldError{Location: "form", Field: name, Message: msg}
}

var basicHeaderField = FieldError{Location: "header", Field: "Authorization"}

func TestOAuth2PasswordRequestForm(t *testing.T) {
	tests := []struct {
		name       string
		req        *http.Request
		strict     bool
		want       OAuth2PasswordRequestForm
		wantStatus int
		wantFields []FieldError
	}{
		{
			name: "minimal",
			req:  formRequest("/token", "username=johndoe&password=secret", "Content-Type", formCT),
			want: OAuth2PasswordRequestForm{Username: "johndoe", Password: "secret"},
		},
		{
			name: "everything",
			req: formRequest("/token", "grant_type=password&username=johndoe&password=s%26c+ret&scope=me+items"+
				"&client_id=app&client_secret=shh", "Content-Type", formCT+"; charset=UTF-8"),
			want: OAuth2PasswordRequestForm{
				GrantType: "password", Username: "johndoe", Password: "s&c ret",
				Scopes: []string{"me", "items"}, ClientID: "app", ClientSecret: "shh",
			},
		},
		{
			name: "scope split on any whitespace without duplicates",
			req:  formRequest("/token", "username=u&password=p&scope=+me%09items++me%0Aadmin+", "Content-Type", formCT),
			want: OAuth2PasswordRequestForm{Username: "u", Password: "p", Scopes: []string{"me", "items", "admin"}},
		},
		{
			name: "media type in upper case",
			req:  formRequest("/token", "username=u&password=p", "Content-Type", "Application/X-WWW-Form-Urlencoded"),
			want: OAuth2PasswordRequestForm{Username: "u", Password: "p"},
		},
		{
			name: "client credentials from basic, urlencoded",
			req: formRequest("/token", "username=u&password=p", "Content-Type", formCT,
				"Authorization", clientBasic("my client:1", "p@ss:w+rd%")),
			want: OAuth2PasswordRequestForm{Username: "u", Password: "p", ClientID: "my client:1", ClientSecret: "p@ss:w+rd%"},
		},
		{
			name: "form client credentials win over basic",
			req: formRequest("/token", "username=u&password=p&client_id=form-app", "Content-Type", formCT,
				"Authorization", clientBasic("basic-app", "x")),
			want: OAuth2PasswordRequestForm{Username: "u", Password: "p", ClientID: "form-app"},
		},
		{
			name: "bearer header ignored",
			req:  formRequest("/token", "username=u&password=p", "Content-Type", formCT, "Authorization", "Bearer tok"),
			want: OAuth2PasswordRequestForm{Username: "u", Password: "p"},
		},
		{
			name: "strict with grant type", strict: true,
			req:  formRequest("/token", "grant_type=password&username=u&password=p", "Content-Type", formCT),
			want: OAuth2PasswordRequestForm{GrantType: "password", Username: "u", Password: "p"},
		},
		{
			name: "strict without grant type", strict: true,
			req:        formRequest("/token", "username=u&password=p", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("grant_type", msgRequired)},
		},
		{
			name: "strict with another grant type", strict: true,
			req:        formRequest("/token", "grant_type=client_credentials&username=u&password=p", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("grant_type", `must be "password"`)},
		},
		{
			name:       "lax with another grant type",
			req:        formRequest("/token", "grant_type=Password&username=u&password=p", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("grant_type", `must be "password"`)},
		},
		{
			name:       "username and password missing",
			req:        formRequest("/token", "scope=me", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("username", msgRequired), formField("password", msgRequired)},
		},
		{
			name:       "empty password",
			req:        formRequest("/token", "username=u&password=", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("password", msgRequired)},
		},
		{
			name:       "repeated fields",
			req:        formRequest("/token", "username=a&username=b&password=p&scope=me&scope=items", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("username", msgRepeated), formField("scope", msgRepeated)},
		},
		{
			name:       "scope with a quote",
			req:        formRequest("/token", `username=u&password=p&scope=me+%22x%22`, "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("scope", msgScope)},
		},
		{
			name:       "credentials in the query are ignored",
			req:        formRequest("/token?username=u&password=p", "", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("username", msgRequired), formField("password", msgRequired)},
		},
		{
			name: "malformed basic",
			req: formRequest("/token", "username=u&password=p", "Content-Type", formCT,
				"Authorization", "Basic !!!"),
			wantStatus: 422,
			wantFields: []FieldError{{Location: "header", Field: "Authorization", Message: "malformed HTTP Basic client credentials"}},
		},
		{
			name: "basic not urlencoded",
			req: formRequest("/token", "username=u&password=p", "Content-Type", formCT,
				"Authorization", confBasicHeader("app", "100%")),
			wantStatus: 422,
			wantFields: []FieldError{{
				Location: "header", Field: "Authorization",
				Message: "HTTP Basic client credentials must be form-urlencoded (RFC 6749 §2.3.1)",
			}},
		},
		{
			name:       "json body",
			req:        formRequest("/token", `{"username":"u","password":"p"}`, "Content-Type", "application/json"),
			wantStatus: 415,
		},
		{
			name:       "multipart body",
			req:        formRequest("/token", "", "Content-Type", "multipart/form-data; boundary=x"),
			wantStatus: 415,
		},
		{name: "no content type", req: formRequest("/token", "username=u&password=p"), wantStatus: 415},
		{
			name:       "bad content type",
			req:        formRequest("/token", "username=u&password=p", "Content-Type", "application/x-www-form-urlencoded; ="),
			wantStatus: 415,
		},
		{
			name:       "undecodable body",
			req:        formRequest("/token", "username=u%zz&password=p", "Content-Type", formCT),
			wantStatus: 400,
		},
		{
			name:       "body too large",
			req:        formRequest("/token", "username=u&password="+strings.Repeat("p", MaxFormBytes), "Content-Type", formCT),
			wantStatus: 413,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				got OAuth2PasswordRequestForm
				err error
			)
			sentinel := OAuth2PasswordRequestForm{Username: "unchanged"}
			if tt.strict {
				f := OAuth2PasswordRequestFormStrict{sentinel}
				err = f.BindRequest(tt.req)
				got = f.OAuth2PasswordRequestForm
			} else {
				f := sentinel
				err = f.BindRequest(tt.req)
				got = f
			}
			if tt.wantStatus != 0 {
				checkFormError(t, err, tt.wantStatus, tt.wantFields)
				if !reflect.DeepEqual(got, sentinel) {
					t.Errorf("a failed bind changed the form to %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("BindRequest: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("form = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestOAuth2ClientCredentialsRequestForm(t *testing.T) {
	tests := []struct {
		name       string
		req        *http.Request
		want       OAuth2ClientCredentialsRequestForm
		wantStatus int
		wantFields []FieldError
	}{
		{
			name: "form credentials",
			req: formRequest("/token", "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret&scope=items",
				"Content-Type", formCT),
			want: OAuth2ClientCredentialsRequestForm{
				GrantType: "client_credentials", ClientID: "demo-client", ClientSecret: "demo-secret", Scopes: []string{"items"},
			},
		},
		{
			name: "basic credentials",
			req: formRequest("/token", "grant_type=client_credentials", "Content-Type", formCT,
				"Authorization", clientBasic("demo client", "s=e&c")),
			want: OAuth2ClientCredentialsRequestForm{GrantType: "client_credentials", ClientID: "demo client", ClientSecret: "s=e&c"},
		},
		{
			name:       "no grant type",
			req:        formRequest("/token", "client_id=a&client_secret=b", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("grant_type", msgRequired)},
		},
		{
			name:       "password grant type",
			req:        formRequest("/token", "grant_type=password&client_id=a&client_secret=b", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("grant_type", `must be "client_credentials"`)},
		},
		{
			name:       "no client credentials",
			req:        formRequest("/token", "grant_type=client_credentials", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("client_id", msgRequired), formField("client_secret", msgRequired)},
		},
		{
			name:       "secret without id",
			req:        formRequest("/token", "grant_type=client_credentials&client_secret=b", "Content-Type", formCT),
			wantStatus: 422, wantFields: []FieldError{formField("client_id", msgRequired)},
		},
		{
			name: "malformed basic",
			req: formRequest("/token", "grant_type=client_credentials", "Content-Type", formCT,
				"Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("no-colon"))),
			wantStatus: 422,
			wantFields: []FieldError{
				{Location: "header", Field: "Authorization", Message: "malformed HTTP Basic client credentials"},
				formField("client_id", msgRequired), formField("client_secret", msgRequired),
			},
		},
		{
			name:       "json body",
			req:        formRequest("/token", `{}`, "Content-Type", "application/json"),
			wantStatus: 415,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f OAuth2ClientCredentialsRequestForm
			err := f.BindRequest(tt.req)
			if tt.wantStatus != 0 {
				checkFormError(t, err, tt.wantStatus, tt.wantFields)
				return
			}
			if err != nil {
				t.Fatalf("BindRequest: %v", err)
			}
			if !reflect.DeepEqual(f, tt.want) {
				t.Errorf("form = %+v, want %+v", f, tt.want)
			}
		})
	}
}

// TestFormUsesParsedBody checks that a body parsed earlier (by gin, say) is
// used rather than read again.
func TestFormUsesParsedBody(t *testing.T) {
	r := formRequest("/token", "username=u&password=p", "Content-Type", formCT)
	if err := r.ParseForm(); err != nil {
		t.Fatal(err)
	}
	var f OAuth2PasswordRequestForm
	if err := f.BindRequest(r); err != nil || f.Username != "u" || f.Password != "p" {
		t.Fatalf("got %+v, %v", f, err)
	}
	// And BindRequest leaves the parsed body for whoever reads it next.
	r = formRequest("/token", "username=u&password=p", "Content-Type", formCT)
	if err := f.BindRequest(r); err != nil || r.PostFormValue("username") != "u" {
		t.Fatalf("PostFormValue after BindRequest = %q, %v", r.PostFormValue("username"), err)
	}
}

func TestFormError(t *testing.T) {
	cause := errors.New("cause")
	tests := []struct {
		name       string
		err        *FormError
		wantStatus int
		wantText   string
	}{
		{
			name:       "fields",
			err:        invalidForm([]FieldError{formField("username", msgRequired), formField("password", msgRequired)}),
			wantStatus: 422,
			wantText:   "security: invalid form: username: field required; password: field required",
		},
		{name: "zero status is 422", err: &FormError{Detail: "x"}, wantStatus: 422, wantText: "security: x"},
		{
			name: "cause", err: &FormError{Status: 400, Detail: "bad body", Err: cause},
			wantStatus: 400, wantText: "security: bad body: cause",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.StatusCode() != tt.wantStatus || tt.err.Error() != tt.wantText {
				t.Errorf("got %d %q, want %d %q", tt.err.StatusCode(), tt.err.Error(), tt.wantStatus, tt.wantText)
			}
			if tt.err.Err != nil && !errors.Is(tt.err, tt.err.Err) {
				t.Error("FormError does not unwrap to its cause")
			}
		})
	}
}

func FuzzPasswordForm(f *testing.F) {
	seeds := []struct{ body, contentType, auth string }{
		{"username=u&password=p", formCT, ""},
		{"grant_type=password&username=u&password=p&scope=me+items", formCT + "; charset=utf-8", ""},
		{"username=u&password=p", formCT, clientBasic("a b", "c+d")},
		{"username=u&password=p", formCT, "Basic !!!"},
		{"username=%zz", formCT, ""},
		{"username=a&username=b", formCT, ""},
		{`{"username":"u"}`, "application/json", ""},
		{"scope=%22&username=u&password=p", formCT, "Bearer x"},
		{";;;&&&==", formCT, ""},
	}
	for _, s := range seeds {
		f.Add(s.body, s.contentType, s.auth)
	}
	f.Fuzz(func(t *testing.T, body, contentType, auth string) {
		r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
		r.Header["Content-Type"] = []string{contentType}
		if auth != "" {
			r.Header["Authorization"] = []string{auth}
		}
		var form OAuth2PasswordRequestForm
		err := form.BindRequest(r)
		if err != nil {
			var fe *FormError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (%T), want a *FormError", err, err)
			}
			switch fe.StatusCode() {
			case 400, 413, 415:
			case 422:
				if len(fe.Fields) == 0 {
					t.Fatal("a 422 without fields")
				}
			default:
				t.Fatalf("status %d", fe.StatusCode())
			}
			if !reflect.DeepEqual(form, OAuth2PasswordRequestForm{}) {
				t.Fatalf("a failed bind filled %+v", form)
			}
			return
		}
		if form.Username == "" || form.Password == "" {
			t.Fatalf("accepted without username or password: %+v", form)
		}
		if form.GrantType != "" && form.GrantType != "password" {
			t.Fatalf("accepted grant_type %q", form.GrantType)
		}
		for _, s := range form.Scopes {
			if s == "" || cleanScope(s) != s {
				t.Fatalf("accepted scope %q", s)
			}
		}
	})
}
