package store

import (
	"context"
	"fmt"
)

// Item is an item as the API shows it.
type Item struct {
	// ItemID names the item.
	ItemID string `json:"item_id"`
	// Owner is the username of the owner.
	Owner string `json:"owner"`
}

// CreateItem stores an item. Public items are listed to everyone.
func (s *Store) CreateItem(ctx context.Context, itemID, owner string, public bool) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO items (item_id, owner, public) VALUES (?, ?, ?)`, itemID, owner, public)
	if err != nil {
		return fmt.Errorf("store: create item %q: %w", itemID, err)
	}
	return nil
}

// ItemsOf returns the items owned by owner, in creation order.
func (s *Store) ItemsOf(ctx context.Context, owner string) ([]Item, error) {
	return s.items(ctx, `SELECT item_id, owner FROM items WHERE owner = ? ORDER BY id`, owner)
}

// VisibleItems returns the public items and, when viewer is not empty, the
// viewer's own items, in creation order.
func (s *Store) VisibleItems(ctx context.Context, viewer string) ([]Item, error) {
	return s.items(ctx, `SELECT item_id, owner FROM items WHERE public = 1 OR owner = ? ORDER BY id`, viewer)
}

func (s *Store) items(ctx context.Context, query string, args ...any) ([]Item, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: items: %w", err)
	}
	defer func() { _ = rows.Close() }() // read-only; Err below reports failures
	out := []Item{}
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ItemID, &it.Owner); err != nil {
			return nil, fmt.Errorf("store: items: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: items: %w", err)
	}
	return out, nil
}
