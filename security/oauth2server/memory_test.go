package oauth2server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoryCodes(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	exp := clk.Now().Add(time.Minute)

	t.Run("take is single use under concurrency", func(t *testing.T) {
		codes, _ := NewMemoryStores(WithMemoryClock(clk.Now))
		if err := codes.SaveCode(ctx, AuthCode{Code: "c1", ClientID: "x", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				c, ok, err := codes.TakeCode(ctx, "c1")
				if err != nil || !ok || c.ClientID != "x" {
					t.Errorf("take: %+v %v %v", c, ok, err)
				}
				if !c.Used {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("%d takes succeeded, want 1", wins.Load())
		}
	})

	tests := []struct {
		name    string
		limit   int
		saves   []AuthCode
		advance time.Duration
		last    AuthCode
		wantErr error
	}{
		{name: "duplicate", saves: []AuthCode{{Code: "a", ExpiresAt: exp}}, last: AuthCode{Code: "a", ExpiresAt: exp}, wantErr: ErrDuplicate},
		{name: "full", limit: 2, saves: []AuthCode{{Code: "a", ExpiresAt: exp}, {Code: "b", ExpiresAt: exp}},
			last: AuthCode{Code: "c", ExpiresAt: exp}, wantErr: ErrStoreFull},
		{name: "full of expired codes makes room", limit: 2, saves: []AuthCode{{Code: "a", ExpiresAt: exp}, {Code: "b", ExpiresAt: exp}},
			advance: time.Minute, last: AuthCode{Code: "c", ExpiresAt: exp.Add(time.Hour)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			opts := []MemoryOption{WithMemoryClock(clk.Now)}
			if tt.limit > 0 {
				opts = append(opts, WithMemoryLimit(tt.limit))
			}
			codes, _ := NewMemoryStores(opts...)
			for _, c := range tt.saves {
				if err := codes.SaveCode(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			clk.Advance(tt.advance)
			err := codes.SaveCode(ctx, tt.last)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && codes.Len() != 1 {
				t.Errorf("Len %d after the sweep, want 1", codes.Len())
			}
		})
	}

	t.Run("expired codes are swept as the store grows", func(t *testing.T) {
		clk := newClock()
		codes, _ := NewMemoryStores(WithMemoryClock(clk.Now))
		for i := range 1024 {
			if err := codes.SaveCode(ctx, AuthCode{Code: fmt.Sprint("old", i), ExpiresAt: clk.Now().Add(time.Second)}); err != nil {
				t.Fatal(err)
			}
		}
		clk.Advance(time.Second)
		if err := codes.SaveCode(ctx, AuthCode{Code: "new", ExpiresAt: clk.Now().Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if codes.Len() != 1 {
			t.Errorf("Len %d, want 1 after the sweep", codes.Len())
		}
	})
}

func TestMemoryRefresh(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	exp := clk.Now().Add(time.Hour)

	t.Run("use reports the state before the call", func(t *testing.T) {
		_, rs := NewMemoryStores(WithMemoryClock(clk.Now))
		if err := rs.SaveRefresh(ctx, RefreshToken{ID: "r1", FamilyID: "f", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		for i, wantUsed := range []bool{false, true, true} {
			got, ok, err := rs.UseRefresh(ctx, "r1")
			if err != nil || !ok || got.Used != wantUsed {
				t.Fatalf("use %d: used %v ok %v err %v, want used %v", i, got.Used, ok, err, wantUsed)
			}
		}
		if _, ok, _ := rs.UseRefresh(ctx, "nope"); ok {
			t.Error("an unknown token was found")
		}
	})

	t.Run("one concurrent use is first", func(t *testing.T) {
		_, rs := NewMemoryStores(WithMemoryClock(clk.Now))
		if err := rs.SaveRefresh(ctx, RefreshToken{ID: "r1", FamilyID: "f", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		var fresh atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if got, ok, _ := rs.UseRefresh(ctx, "r1"); ok && !got.Used {
					fresh.Add(1)
				}
			})
		}
		wg.Wait()
		if fresh.Load() != 1 {
			t.Errorf("%d uses saw a fresh token, want 1", fresh.Load())
		}
	})

	tests := []struct {
		name        string
		id, family  string
		wantRevoked bool
	}{
		{"member saved before the revocation", "a1", "A", true},
		{"member saved after the revocation", "a3", "A", true},
		{"other family", "b1", "B", false},
	}
	_, rs := NewMemoryStores(WithMemoryClock(clk.Now))
	for _, tok := range []RefreshToken{{ID: "a1", FamilyID: "A", ExpiresAt: exp}, {ID: "b1", FamilyID: "B", ExpiresAt: exp}} {
		if err := rs.SaveRefresh(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := rs.RevokeFamily(ctx, "A"); err != nil {
		t.Fatal(err)
	}
	// A rotation that raced with the revocation saves its token late.
	if err := rs.SaveRefresh(ctx, RefreshToken{ID: "a3", FamilyID: "A", ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := rs.UseRefresh(ctx, tt.id)
			if err != nil || !ok {
				t.Fatalf("ok %v err %v", ok, err)
			}
			if got.Revoked != tt.wantRevoked {
				t.Errorf("revoked %v, want %v", got.Revoked, tt.wantRevoked)
			}
		})
	}

	t.Run("errors", func(t *testing.T) {
		_, rs := NewMemoryStores(WithMemoryClock(clk.Now), WithMemoryLimit(1))
		if err := rs.SaveRefresh(ctx, RefreshToken{ID: "x", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			id   string
			want error
		}{{"x", ErrDuplicate}, {"y", ErrStoreFull}} {
			if err := rs.SaveRefresh(ctx, RefreshToken{ID: tc.id, ExpiresAt: exp}); !errors.Is(err, tc.want) {
				t.Errorf("save %s: error %v, want %v", tc.id, err, tc.want)
			}
		}
	})
}
