package security

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// MaxFormBytes caps the body that the request forms read. A token request is
// a few hundred bytes; the cap keeps a client from making the server buffer
// megabytes of form data.
const MaxFormBytes = 64 << 10

// formContentType is the only media type RFC 6749 §3.2 allows at the token
// endpoint.
const formContentType = "application/x-www-form-urlencoded"

// FieldError describes one invalid field of a request form. It has the shape
// of the per-field entries of the framework's 422 problem details.
type FieldError struct {
	// Location is where the field came from: "form" for a body field,
	// "header" for the Authorization header.
	Location string `json:"location"`
	// Field is the field's name on the wire, such as "username".
	Field string `json:"field"`
	// Message says what is wrong, without repeating the value.
	Message string `json:"message"`
}

// FormError is the error BindRequest returns for a request it cannot bind.
// Its status is:
//
//   - 415 Unsupported Media Type when the body is not
//     application/x-www-form-urlencoded (a JSON body included, although
//     FastAPI answers 422 there: the fix is the client's Content-Type, and
//     415 says so);
//   - 413 Content Too Large when the body exceeds [MaxFormBytes];
//   - 400 Bad Request when the body cannot be read or decoded;
//   - 422 Unprocessable Content when fields are missing, repeated or
//     invalid, with one [FieldError] each in Fields.
type FormError struct {
	// Status is the HTTP status; see the type's doc.
	Status int
	// Detail is a human-readable summary, safe to send to the client.
	Detail string
	// Fields lists the invalid fields of a 422.
	Fields []FieldError
	// Err is the underlying cause, if any, such as a decoding error.
	Err error
}

// Error implements error.
func (e *FormError) Error() string {
	var b strings.Builder
	b.WriteString("security: ")
	b.WriteString(e.Detail)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *FormError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status of the error, 422 unless the type's doc
// says otherwise.
func (e *FormError) StatusCode() int {
	if e.Status == 0 {
		return http.StatusUnprocessableEntity
	}
	return e.Status
}

// Messages of field errors.
const (
	msgRequired = "field required"
	msgRepeated = "must not be repeated (RFC 6749 §3.1)"
	msgScope    = "scope tokens may only use printable ASCII other than '\"' and '\\' (RFC 6749 §3.3)"
)

// formFields reads the urlencoded body of r, bounded by MaxFormBytes, and
// checks that none of the named fields is repeated. Only the body is read:
// credentials must not travel in the URL (RFC 6749 §3.2), so query
// parameters are ignored. When something earlier already parsed the body
// (r.PostForm is set), its result is used; otherwise the result is stored in
// r.PostForm, as r.ParseForm would.
func formFields(r *http.Request, names ...string) (url.Values, *FormError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != formContentType {
		return nil, &FormError{
			Status: http.StatusUnsupportedMediaType,
			Detail: "the request body must be " + formContentType,
		}
	}
	if r.PostForm == nil {
		form, ferr := readFormBody(r)
		if ferr != nil {
			return nil, ferr
		}
		r.PostForm = form
	}
	form := r.PostForm
	var fields []FieldError
	for _, name := range names {
		if len(form[name]) > 1 {
			fields = append(fields, FieldError{Location: "form", Field: name, Message: msgRepeated})
		}
	}
	if fields != nil {
		return nil, invalidForm(fields)
	}
	return form, nil
}

// readFormBody reads and decodes the body of r, at most MaxFormBytes of it.
// It does what r.ParseForm does for the body, without its 10 MB cap and
// without failing on a malformed query string, which the forms ignore.
func readFormBody(r *http.Request) (url.Values, *FormError) {
	if r.Body == nil || r.Body == http.NoBody {
		return url.Values{}, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxFormBytes+1))
	if err != nil {
		return nil, &FormError{Status: http.StatusBadRequest, Detail: "the form body cannot be read", Err: err}
	}
	if len(body) > MaxFormBytes {
		return nil, &FormError{
			Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the form body is larger than %d bytes", MaxFormBytes),
		}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, &FormError{Status: http.StatusBadRequest, Detail: "the form body cannot be decoded", Err: err}
	}
	return form, nil
}

// invalidForm returns the 422 error for fields.
func invalidForm(fields []FieldError) *FormError {
	return &FormError{Status: http.StatusUnprocessableEntity, Detail: "invalid form", Fields: fields}
}

// required appends a "field required" error when value is empty. FastAPI
// treats an empty form value as missing too.
func required(fields []FieldError, name, value string) []FieldError {
	if value == "" {
		fields = append(fields, FieldError{Location: "form", Field: name, Message: msgRequired})
	}
	return fields
}

// grantType checks the grant_type field against want. An empty value passes
// unless the field is required.
func grantType(fields []FieldError, value, want string, isRequired bool) []FieldError {
	switch {
	case value == "" && isRequired:
		return append(fields, FieldError{Location: "form", Field: "grant_type", Message: msgRequired})
	case value != "" && value != want:
		return append(fields, FieldError{Location: "form", Field: "grant_type", Message: fmt.Sprintf("must be %q", want)})
	}
	return fields
}

// formScope splits the scope field (RFC 6749 §3.3) and checks its tokens.
func formScope(fields []FieldError, value string) ([]string, []FieldError) {
	scopes := ParseScope(value)
	for _, s := range scopes {
		if cleanScope(s) != s {
			return nil, append(fields, FieldError{Location: "form", Field: "scope", Message: msgScope})
		}
	}
	return scopes, fields
}

// clientCredentials returns the client_id and client_secret of the form, or,
// when the form carries neither, those of an HTTP Basic Authorization header
// (RFC 6749 §2.3.1), whose values are form-urlencoded and decoded here. A
// Basic header that cannot be decoded is a field error; any other
// Authorization header is ignored.
func clientCredentials(fields []FieldError, r *http.Request, form url.Values) (id, secret string, _ []FieldError) {
	id, secret = form.Get("client_id"), form.Get("client_secret")
	if id != "" || secret != "" {
		return id, secret, fields
	}
	user, pass, kind, _ := parseBasic(r)
	switch kind {
	case nil:
	case ErrNoCredentials:
		return "", "", fields
	default:
		return "", "", append(fields, FieldError{
			Location: "header", Field: "Authorization", Message: "malformed HTTP Basic client credentials",
		})
	}
	id, errID := url.QueryUnescape(user)
	secret, errSecret := url.QueryUnescape(pass)
	if errID != nil || errSecret != nil {
		return "", "", append(fields, FieldError{
			Location: "header", Field: "Authorization",
			Message: "HTTP Basic client credentials must be form-urlencoded (RFC 6749 §2.3.1)",
		})
	}
	return id, secret, fields
}

// OAuth2PasswordRequestForm is the token request of the resource owner
// password flow (RFC 6749 §4.3.2), as FastAPI's form of that name reads it.
// grant_type may be left out, but when sent it must be "password"; use
// [OAuth2PasswordRequestFormStrict] to require it.
//
// A token endpoint that serves other grants as well reads grant_type first
// (r.PostFormValue) and binds the matching form.
type OAuth2PasswordRequestForm struct {
	// GrantType is "password" or empty.
	GrantType string `form:"grant_type"`
	// Username is the resource owner's username. Required.
	Username string `form:"username"`
	// Password is the resource owner's password. Required.
	Password string `form:"password"`
	// Scopes are the requested scopes, split from the space-separated scope
	// field, without duplicates.
	Scopes []string `form:"scope"`
	// ClientID identifies the client, from the form or HTTP Basic.
	ClientID string `form:"client_id"`
	// ClientSecret authenticates the client, from the form or HTTP Basic.
	ClientSecret string `form:"client_secret"`
}

// BindRequest fills f from the application/x-www-form-urlencoded body of r.
// Scopes are split on whitespace with [ParseScope]. When the form carries
// neither client_id nor client_secret, they are taken from an HTTP Basic
// Authorization header, if any. It returns a [*FormError] when the request
// cannot be bound, and leaves f unchanged then.
func (f *OAuth2PasswordRequestForm) BindRequest(r *http.Request) error {
	return f.bind(r, false)
}

// bind is BindRequest; strict makes grant_type required.
func (f *OAuth2PasswordRequestForm) bind(r *http.Request, strict bool) error {
	form, ferr := formFields(r, "grant_type", "username", "password", "scope", "client_id", "client_secret")
	if ferr != nil {
		return ferr
	}
	var fields []FieldError
	out := OAuth2PasswordRequestForm{
		GrantType: form.Get("grant_type"),
		Username:  form.Get("username"),
		Password:  form.Get("password"),
	}
	fields = grantType(fields, out.GrantType, "password", strict)
	fields = required(fields, "username", out.Username)
	fields = required(fields, "password", out.Password)
	out.Scopes, fields = formScope(fields, form.Get("scope"))
	out.ClientID, out.ClientSecret, fields = clientCredentials(fields, r, form)
	if fields != nil {
		return invalidForm(fields)
	}
	*f = out
	return nil
}

// OAuth2PasswordRequestFormStrict is [OAuth2PasswordRequestForm] with
// grant_type required to be "password", as RFC 6749 §4.3.2 says.
type OAuth2PasswordRequestFormStrict struct {
	OAuth2PasswordRequestForm
}

// BindRequest fills f like [OAuth2PasswordRequestForm.BindRequest], and also
// refuses a request whose grant_type is not "password".
func (f *OAuth2PasswordRequestFormStrict) BindRequest(r *http.Request) error {
	return f.bind(r, true)
}

// OAuth2ClientCredentialsRequestForm is the token request of the client
// credentials flow (RFC 6749 §4.4.2). grant_type must be
// "client_credentials"; client_id and client_secret are required, from the
// form or, when the form carries neither, from HTTP Basic.
type OAuth2ClientCredentialsRequestForm struct {
	// GrantType is "client_credentials".
	GrantType string `form:"grant_type"`
	// Scopes are the requested scopes, split from the space-separated scope
	// field, without duplicates.
	Scopes []string `form:"scope"`
	// ClientID identifies the client. Required.
	ClientID string `form:"client_id"`
	// ClientSecret authenticates the client. Required.
	ClientSecret string `form:"client_secret"`
}

// BindRequest fills f from the application/x-www-form-urlencoded body of r,
// with the same rules as [OAuth2PasswordRequestForm.BindRequest]. It returns
// a [*FormError] when the request cannot be bound, and leaves f unchanged
// then.
func (f *OAuth2ClientCredentialsRequestForm) BindRequest(r *http.Request) error {
	form, ferr := formFields(r, "grant_type", "scope", "client_id", "client_secret")
	if ferr != nil {
		return ferr
	}
	var fields []FieldError
	out := OAuth2ClientCredentialsRequestForm{GrantType: form.Get("grant_type")}
	fields = grantType(fields, out.GrantType, "client_credentials", true)
	out.Scopes, fields = formScope(fields, form.Get("scope"))
	out.ClientID, out.ClientSecret, fields = clientCredentials(fields, r, form)
	fields = required(fields, "client_id", out.ClientID)
	fields = required(fields, "client_secret", out.ClientSecret)
	if fields != nil {
		return invalidForm(fields)
	}
	*f = out
	return nil
}
