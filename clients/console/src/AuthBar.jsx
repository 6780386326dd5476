// The form above GraphiQL that writes the auth headers into its headers editor: an admin secret or a Bearer
// token, and the role to act as (x-hasura-role). Applying it re-fetches the schema with those headers, so the
// docs and the explorer show that role's schema. Nothing here goes to the server except as request headers.
import { useState } from 'react';

const AUTH_HEADERS = ['x-hasura-admin-secret', 'authorization', 'x-hasura-role'];

export function mergeHeaders(editorText, { mode, secret, role }) {
  let current = {};
  try {
    const parsed = JSON.parse(editorText || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) current = parsed;
  } catch { /* an unparsable editor is replaced */ }
  const next = {};
  for (const [k, v] of Object.entries(current)) if (!AUTH_HEADERS.includes(k.toLowerCase())) next[k] = v;
  const value = secret.trim();
  if (mode === 'admin' && value) next['x-hasura-admin-secret'] = value;
  if (mode === 'bearer' && value) next.Authorization = /^bearer /i.test(value) ? value : `Bearer ${value}`;
  if (role.trim()) next['x-hasura-role'] = role.trim();
  return JSON.stringify(next, null, 2);
}

export function AuthBar({ bridge }) {
  const [mode, setMode] = useState('admin');
  const [secret, setSecret] = useState('');
  const [role, setRole] = useState('');

  const apply = (event) => {
    event.preventDefault();
    bridge.current?.applyHeaders((text) => mergeHeaders(text, { mode, secret, role }));
  };

  return (
    <form className="peregrine-auth" onSubmit={apply} aria-label="Request headers">
      <strong className="peregrine-brand">Peregrine</strong>
      <label>
        Auth
        <select name="mode" value={mode} onChange={(e) => setMode(e.target.value)}>
          <option value="admin">Admin secret</option>
          <option value="bearer">Bearer token</option>
          <option value="none">None</option>
        </select>
      </label>
      <input
        name="secret"
        type="password"
        autoComplete="off"
        placeholder={mode === 'bearer' ? 'access token (JWT)' : mode === 'admin' ? 'x-hasura-admin-secret' : ''}
        disabled={mode === 'none'}
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
      />
      <label>
        Role
        <input name="role" placeholder="x-hasura-role (optional)" value={role} onChange={(e) => setRole(e.target.value)} />
      </label>
      <button type="submit">Apply headers</button>
    </form>
  );
}
