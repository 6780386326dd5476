import { Client, fetchExchange, type AnyVariables, type CombinedError, type TypedDocumentNode } from '@urql/core'
import type { SessionManager } from '../auth/session.js'
import { PeregrineError, networkError, retryAfter } from '../core/errors.js'
import type { Http } from '../core/http.js'
import { withRetry, type RetryPolicy } from '../core/retry.js'

/** Hasura codes that mean "this token", not "this request": refresh once and send again. */
const TOKEN_REJECTED = new Set(['invalid-jwt', 'jwt-invalid-claims'])

/**
 * GraphQL over HTTP through urql, the session's Bearer token on every request, results as typed data or
 * a PeregrineError. No cache: the feed must show what the server has now, and subscriptions push changes.
 */
export class GraphQLClient {
  private readonly client: Client

  constructor(http: Http, private readonly session: SessionManager, private readonly retry: RetryPolicy) {
    this.client = new Client({
      url: http.url('/v1/graphql'),
      exchanges: [fetchExchange],
      requestPolicy: 'network-only',
      preferGetMethod: false,
      fetch: (input, init) => http.fetchImpl(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(http.timeoutMs) }),
    })
  }

  query<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, variables: V): Promise<D> {
    return this.run(doc, variables, 'query')
  }

  mutation<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, variables: V): Promise<D> {
    return this.run(doc, variables, 'mutation')
  }

  private run<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, variables: V, kind: 'query' | 'mutation'): Promise<D> {
    return withRetry(async () => {
      let token = await this.session.accessToken()
      try {
        return await this.once(doc, variables, kind, token)
      } catch (e) {
        if (!(e instanceof PeregrineError) || !TOKEN_REJECTED.has(e.code) || !token) throw e
        token = await this.session.refreshAfterRejection(token)
        return await this.once(doc, variables, kind, token)
      }
    }, this.retry)
  }

  private async once<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, variables: V, kind: 'query' | 'mutation', token: string | null): Promise<D> {
    const fetchOptions = token ? { headers: { authorization: `Bearer ${token}` } } : {}
    const op = kind === 'query' ? this.client.query(doc, variables, { fetchOptions }) : this.client.mutation(doc, variables, { fetchOptions })
    const result = await op.toPromise()
    if (result.error) throw toPeregrineError(result.error)
    if (result.data == null) throw new PeregrineError('invalid-response', 'the server answered without data', { retryable: false })
    return result.data
  }
}

export function toPeregrineError(error: CombinedError): PeregrineError {
  const response = error.response as Response | undefined
  const status = typeof response?.status === 'number' ? response.status : undefined
  const retryAfterMs = retryAfter(typeof response?.headers?.get === 'function' ? response.headers.get('retry-after') : null)
  const first = error.graphQLErrors[0]
  if (first) {
    const ext = (first.extensions ?? {}) as { code?: unknown; path?: unknown }
    const code = typeof ext.code === 'string' ? ext.code : 'graphql-error'
    return new PeregrineError(code, first.message, { status, retryAfterMs, path: typeof ext.path === 'string' ? ext.path : undefined })
  }
  if (status !== undefined && status >= 400) {
    return new PeregrineError(`http-${status}`, error.networkError?.message ?? `HTTP ${status}`, { status, retryAfterMs })
  }
  return networkError(error.networkError ?? error)
}
