// Reads (never verifies: the server does) the Hasura claims of an access token, for session().

const CLAIMS = 'https://hasura.io/jwt/claims'

export interface HasuraClaims {
  userId: string | null
  defaultRole: string | null
  allowedRoles: string[]
  expiresAt: number | null
}

function base64UrlDecode(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)
  const binary = atob(b64)
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
  return new TextDecoder().decode(bytes)
}

export function readClaims(token: string): HasuraClaims {
  try {
    const payload = JSON.parse(base64UrlDecode(token.split('.')[1] ?? '')) as Record<string, unknown>
    const ns = (payload[CLAIMS] ?? {}) as Record<string, unknown>
    const roles = ns['x-hasura-allowed-roles']
    return {
      userId: typeof ns['x-hasura-user-id'] === 'string' ? ns['x-hasura-user-id'] : typeof payload.sub === 'string' ? payload.sub : null,
      defaultRole: typeof ns['x-hasura-default-role'] === 'string' ? ns['x-hasura-default-role'] : null,
      allowedRoles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null,
    }
  } catch {
    return { userId: null, defaultRole: null, allowedRoles: [], expiresAt: null }
  }
}
