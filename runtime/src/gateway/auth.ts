/**
 * Bearer JWTs, checked with jose: HS256 with the secret from the variable `secretEnv` names, or
 * the asymmetric algorithms with the keys a JWKS URL publishes (fetched, cached and refreshed
 * by jose). The algorithms are pinned, so `alg: none` and an HS256 token "signed" with a public
 * key are refused; `exp` is required, `nbf` is honoured, `iss` and `aud` are checked when the
 * spec names them. Every refusal is a 401 with a sentence saying why.
 */
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { StartError } from '../service/service.js';

export interface JwtSettings {
  /** The variable holding the HS256 secret (`JWT_SECRET`)… */
  readonly secretEnv?: string;
  /** …or where the signing keys are published. */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

/** HS256 wants a key as long as its hash (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;
const HMAC_ALGORITHMS = ['HS256'];
/** What a JWKS may sign with: RSA, RSA-PSS and ECDSA; never a symmetric algorithm. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** A token that does not let the request through: 401 (or 503 when the keys cannot be fetched). */
export class AuthFailure extends Error {
  constructor(
    message: string,
    /** Per RFC 6750: absent when no token came, `invalid_token` otherwise. */
    readonly challenge: 'invalid_token' | undefined,
    readonly status: 401 | 503 = 401,
  ) {
    super(message);
    this.name = 'AuthFailure';
  }
}

/** Checks the `Authorization` header of a request; resolves with the token's claims. */
export type Authenticator = (authorization: string | undefined) => Promise<JWTPayload>;

/** The HS256 secret from the environment, or an error saying what is missing (`needs`: who needs it, with its verb). */
export function hmacSecret(settings: JwtSettings, env: NodeJS.ProcessEnv, needs: string): Uint8Array<ArrayBuffer> {
  const name = settings.secretEnv!;
  const value = env[name];
  if (value === undefined || value === '') throw new StartError(`${name} is not set, and ${needs} a JWT secret (gateway.auth.jwt.secretEnv)`);
  const secret = new TextEncoder().encode(value);
  if (secret.length < MIN_SECRET_BYTES) throw new StartError(`${name} is ${secret.length} bytes long; HS256 needs at least ${MIN_SECRET_BYTES}`);
  return secret;
}

/** Why jose refused a token, in words for the caller. */
function reasonOf(err: unknown): AuthFailure {
  if (err instanceof errors.JWTExpired) return new AuthFailure('the token has expired', 'invalid_token');
  if (err instanceof errors.JWTClaimValidationFailed) {
    const claim = err.claim;
    if (err.reason === 'missing') return new AuthFailure(`the token has no "${claim}" claim`, 'invalid_token');
    if (claim === 'nbf') return new AuthFailure('the token is not valid yet (nbf)', 'invalid_token');
    if (claim === 'iss') return new AuthFailure('the token was issued by someone this gateway does not accept (iss)', 'invalid_token');
    if (claim === 'aud') return new AuthFailure('the token is meant for another audience (aud)', 'invalid_token');
    return new AuthFailure(`the token's "${claim}" claim is not valid`, 'invalid_token');
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return new AuthFailure("the token's signing algorithm is not accepted", 'invalid_token');
  if (err instanceof errors.JWSSignatureVerificationFailed) return new AuthFailure("the token's signature does not verify", 'invalid_token');
  if (err instanceof errors.JWKSNoMatchingKey) return new AuthFailure('the token is signed with a key this gateway does not know', 'invalid_token');
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return new AuthFailure('the signing keys cannot be fetched right now', 'invalid_token', 503);
  if (err instanceof errors.JOSEError) return new AuthFailure('the bearer token is not a valid JWT', 'invalid_token');
  // jose's fetch of the JWKS failed (connection refused, a non-2xx answer).
  return new AuthFailure('the signing keys cannot be fetched right now', 'invalid_token', 503);
}

/** How many verified tokens are remembered, and for how long at most (a JWKS key may be withdrawn). */
const VERIFIED_MAX = 10_000;
const VERIFIED_TTL_MS = 60_000;

/**
 * Tokens that verified, until their `exp` (at most a minute): a client sends the same token with
 * every request, and checking a signature costs more than forwarding the request. The key is
 * the whole token, signature included, so only that exact token is let through again.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { payload: JWTPayload; until: number }>();

  get(token: string): JWTPayload | undefined {
    const hit = this.entries.get(token);
    if (hit === undefined) return undefined;
    if (Date.now() < hit.until) return hit.payload;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, payload: JWTPayload): void {
    if (this.entries.size >= VERIFIED_MAX) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { payload, until: Math.min(Date.now() + VERIFIED_TTL_MS, (payload.exp ?? 0) * 1000) });
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization === '') throw new AuthFailure('this route needs a bearer token (Authorization: Bearer <JWT>)', undefined);
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(authorization);
  if (!match) throw new AuthFailure('the Authorization header is not "Bearer <JWT>"', 'invalid_token');
  return match[1];
}

/**
 * Builds the check. With `secretEnv`, the secret is read now (a missing one fails the start);
 * with `jwksUrl`, the keys are fetched on the first token and whenever an unknown key id shows up.
 */
export function authenticator(settings: JwtSettings, env: NodeJS.ProcessEnv, needs: string): Authenticator {
  const claims = {
    requiredClaims: ['exp'],
    ...(settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
    ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
  };
  let verify: (token: string) => Promise<{ payload: JWTPayload }>;
  if (settings.jwksUrl !== undefined) {
    const keys = createRemoteJWKSet(new URL(settings.jwksUrl));
    verify = (token) => jwtVerify(token, keys, { ...claims, algorithms: JWKS_ALGORITHMS });
  } else if (settings.secretEnv !== undefined) {
    // Imported once: jose would import a raw secret again for every token.
    const key = crypto.subtle.importKey('raw', hmacSecret(settings, env, needs), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    verify = async (token) => jwtVerify(token, await key, { ...claims, algorithms: HMAC_ALGORITHMS });
  } else {
    throw new StartError('gateway cannot start: gateway.auth.jwt names neither secretEnv nor jwksUrl');
  }
  const verified = new VerifiedTokens();
  return async (authorization) => {
    const token = bearerToken(authorization);
    const known = verified.get(token);
    if (known) return known;
    try {
      const { payload } = await verify(token);
      verified.set(token, payload);
      return payload;
    } catch (err) {
      throw reasonOf(err);
    }
  };
}

/**
 * A token for trying the system on this machine (`npm run token`): HS256 with the configured
 * secret, the spec's issuer and audience, valid for `ttlSeconds`.
 */
export async function signToken(settings: JwtSettings, env: NodeJS.ProcessEnv, subject: string, ttlSeconds = 3600): Promise<string> {
  if (settings.jwksUrl !== undefined) throw new StartError('the gateway checks tokens against a JWKS URL: get a token from the identity provider that publishes it');
  if (settings.secretEnv === undefined) throw new StartError('the gateway checks no tokens (gateway.auth.jwt is not configured)');
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(subject).setIssuedAt().setExpirationTime(`${ttlSeconds}s`);
  if (settings.issuer !== undefined) jwt.setIssuer(settings.issuer);
  if (settings.audience !== undefined) jwt.setAudience(settings.audience);
  return jwt.sign(hmacSecret(settings, env, 'signing a token needs'));
}
