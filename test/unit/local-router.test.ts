import { describe, expect, it } from 'vitest';
import { HTTP_CONTEXTS } from '../../functions/http/routes';
import { bySpecificity } from '../../infra/local/http-server';

describe('route matching', () => {
  it('the twin tries literal segments before parameters, as API Gateway does', () => {
    const paths = ['/stock/{locationCode}/{sku}', '/stock/transfers/{id}', '/stock/{locationCode}', '/stock/alerts'];
    expect([...paths].sort(bySpecificity)).toEqual(['/stock/transfers/{id}', '/stock/alerts', '/stock/{locationCode}/{sku}', '/stock/{locationCode}']);
  });

  it('no two routes share a method and a path shape (API Gateway would reject them)', () => {
    const shapes = HTTP_CONTEXTS.flatMap((c) => c.routes.map((r) => `${r.method} ${r.path.replace(/\{[^}]+\}/g, '{}')}`));
    expect(new Set(shapes).size).toBe(shapes.length);
  });
});
