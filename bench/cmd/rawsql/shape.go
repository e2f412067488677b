package main

// The helpers below give the answers the shape of rdrr's GraphQL
// responses (connections with edges and nodes, nested objects), so that
// the baseline encodes as much JSON as rdrr does.

// connection wraps rows as {totalCount, edges: [{node}]}. The rows carry
// their total in a "total" column (count(*) OVER ()) when total is true.
func connection(rows []row, total bool) map[string]any {
	edges := make([]map[string]any, len(rows))
	n := int64(0)
	for i, r := range rows {
		if total {
			n = toInt(r["total"])
			delete(r, "total")
		}
		edges[i] = map[string]any{"node": r}
	}
	c := map[string]any{"edges": edges}
	if total {
		c["totalCount"] = n
	}
	return c
}

// byParent groups rows by the value of column key (removed from the rows).
func byParent(rows []row, key string) map[string][]row {
	out := make(map[string][]row)
	for _, r := range rows {
		k, _ := r[key].(string)
		delete(r, key)
		out[k] = append(out[k], r)
	}
	return out
}

// nest moves columns prefix+name of r into a nested object under field
// (nil when every one of them is NULL, like a missing to-one edge).
func nest(r row, field, prefix string, names ...string) {
	obj := make(map[string]any, len(names))
	present := false
	for _, n := range names {
		v := r[prefix+n]
		delete(r, prefix+n)
		obj[n] = v
		present = present || v != nil
	}
	if present {
		r[field] = obj
	} else {
		r[field] = nil
	}
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int32:
		return int64(n)
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

func ids(rows []row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i], _ = r["id"].(string)
	}
	return out
}
