package security

// authenticated ends the Authenticate method of a scheme. s points at the
// method's own copy of the scheme, and err is what reading the credential
// into that copy returned. On success it returns the copy, which now carries
// the credential; on failure it returns nil and err, so a refusal never comes
// with a scheme value.
func authenticated[S Scheme](s *S, err error) (Scheme, error) {
	if err != nil {
		return nil, err
	}
	return *s, nil
}
