import { describe, expect, it } from 'vitest';
import { encodeSegment, expandPath, parseTemplate, resolveBaseUrl, UrlValueError } from '../../engine/runtime/url.js';

describe('path templates', () => {
  const { parts, params } = parseTemplate('/api/v1/groups/{groupId}/users/{userId}');

  it('finds every placeholder', () => {
    expect(params).toEqual(['groupId', 'userId']);
  });

  it.each([
    ['../../users/x', '..%2F..%2Fusers%2Fx'],
    ['a/b', 'a%2Fb'],
    ['x?admin=1#frag', 'x%3Fadmin%3D1%23frag'],
    ['%2F', '%252F'],
    ['grüße 🎉', 'gr%C3%BC%C3%9Fe%20%F0%9F%8E%89'],
    ['00g1emaKYZTWRYYRRTSK', '00g1emaKYZTWRYYRRTSK'],
  ])('puts %j in one encoded segment', (value, encoded) => {
    const path = expandPath(parts, { groupId: value, userId: 'u1' });
    expect(path).toBe(`/api/v1/groups/${encoded}/users/u1`);
    // The URL parser sees exactly the segments of the template: nothing walked, nothing added.
    expect(new URL(path, 'https://h.example').pathname.split('/')).toHaveLength(7);
  });

  it.each([[''], ['.'], ['..'], ['a\r\nb'], [null], [undefined], [{}], [['a']], ['\ud800']])('refuses %j', (value) => {
    expect(() => encodeSegment('groupId', value)).toThrow(UrlValueError);
  });

  it('accepts numbers', () => {
    expect(encodeSegment('id', 42)).toBe('42');
  });
});

describe('base URLs', () => {
  it('fills the host from the context', () => {
    expect(resolveBaseUrl('https://{domain}', { domain: 'acme.okta.com' }).href).toBe('https://acme.okta.com/');
    expect(resolveBaseUrl('https://{domain}', { domain: 'login.example.com:8443' }).href).toBe('https://login.example.com:8443/');
  });

  it('encodes path placeholders as one segment', () => {
    expect(resolveBaseUrl('https://{host}/admin/realms/{realm}', { host: 'kc.example.com', realm: 'a/b' }).href).toBe('https://kc.example.com/admin/realms/a%2Fb');
  });

  it('speaks plain http to loopback hosts only', () => {
    expect(resolveBaseUrl('https://{domain}', { domain: '127.0.0.1:4000' }).href).toBe('http://127.0.0.1:4000/');
    expect(resolveBaseUrl('https://{domain}', { domain: 'localhost:4000' }).protocol).toBe('http:');
    expect(resolveBaseUrl('https://{domain}', { domain: '[::1]:4000' }).protocol).toBe('http:');
    expect(resolveBaseUrl('https://{domain}', { domain: '10.0.0.1' }).protocol).toBe('https:');
  });

  it.each([
    ['evil.com/x'],
    ['evil.com?x=1'],
    ['user:pass@evil.com'],
    ['evil.com#'],
    ['a b.com'],
    ['evil.com:99999'],
    ['http://evil.com'],
    [''],
  ])('refuses host %j (SSRF: nothing but a host and port)', (domain) => {
    expect(() => resolveBaseUrl('https://{domain}', { domain })).toThrow(UrlValueError);
  });
});

describe('multi-segment base paths ({name*})', () => {
  it('encodes each segment and drops empty ones', () => {
    expect(resolveBaseUrl('https://{host}{base_path*}', { host: 'scim.example.com', base_path: '/scim/v2' }).href).toBe('https://scim.example.com/scim/v2');
    expect(resolveBaseUrl('https://{host}{base_path*}', { host: 'scim.example.com', base_path: 'a b//c?d' }).href).toBe('https://scim.example.com/a%20b/c%3Fd');
    expect(resolveBaseUrl('https://{host}{base_path*}', { host: 'scim.example.com', base_path: '' }).href).toBe('https://scim.example.com/');
  });

  it('never climbs out of the base path', () => {
    expect(() => resolveBaseUrl('https://{host}{base_path*}', { host: 'scim.example.com', base_path: '/scim/../admin' })).toThrow(UrlValueError);
  });
});
