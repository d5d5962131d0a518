import { describe, expect, it } from 'vitest';
import { telemetryFromEnv } from './telemetry-from-env.js';

describe('OTEL_* variables', () => {
  it('add nothing when none is set', () => {
    expect(telemetryFromEnv({ telemetry: { tracing: { exporter: 'console' } } }, { PATH: '/bin' })).toEqual({ sensitive: [], problems: [] });
  });

  it('map the general endpoint, headers, service name and resource attributes; an endpoint turns OTLP on', () => {
    const out = telemetryFromEnv(
      {},
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20Tok-123456,x-tenant=ops',
        OTEL_SERVICE_NAME: 'mcp-prod',
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,service.version=9.9,deployment.environment.name=prod',
      },
    );
    expect(out.problems).toEqual([]);
    expect(out.sensitive).toEqual(['Bearer Tok-123456', 'ops']);
    expect(out.telemetry).toEqual({
      resource: { serviceName: '${env:OTEL_SERVICE_NAME}', serviceVersion: '9.9', attributes: { 'deployment.environment.name': 'prod' } },
      tracing: {
        exporter: 'otlp',
        otlp: { endpoint: '${env:OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces', headers: { authorization: 'Bearer Tok-123456', 'x-tenant': 'ops' } },
      },
    });
  });

  it('take the traces-specific variables over the general ones, and the gRPC endpoint as it is', () => {
    const out = telemetryFromEnv(
      {},
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      },
    );
    expect(out.telemetry).toEqual({
      tracing: { exporter: 'otlp', otlp: { protocol: 'grpc', endpoint: '${env:OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}', timeoutMs: 2500 } },
    });
    expect(telemetryFromEnv({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4317/' }).telemetry).toMatchObject({
      tracing: { otlp: { endpoint: '${env:OTEL_EXPORTER_OTLP_ENDPOINT}' } },
    });
  });

  it('let every key the config file sets win, merging header maps by key', () => {
    const file = {
      telemetry: {
        resource: { serviceName: 'from-file' },
        tracing: { exporter: 'console', otlp: { endpoint: 'http://file:4318/v1/traces', headers: { authorization: 'Bearer File-Token' } } },
      },
    };
    const out = telemetryFromEnv(file, {
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer Env-Token,x-tenant=ops',
    });
    expect(out.telemetry).toEqual({
      resource: { serviceName: 'from-file' },
      tracing: { exporter: 'console', otlp: { endpoint: 'http://file:4318/v1/traces', headers: { authorization: 'Bearer File-Token', 'x-tenant': 'ops' } } },
    });
  });

  it.each([
    ['always_on', undefined, { parentBased: false, samplingRatio: 1 }],
    ['always_off', undefined, { parentBased: false, samplingRatio: 0 }],
    ['traceidratio', '0.25', { parentBased: false, samplingRatio: 0.25 }],
    ['parentbased_always_off', undefined, { parentBased: true, samplingRatio: 0 }],
    ['parentbased_traceidratio', '0.5', { parentBased: true, samplingRatio: 0.5 }],
    ['parentbased_traceidratio', undefined, { parentBased: true, samplingRatio: 1 }],
  ])('map OTEL_TRACES_SAMPLER=%s (arg %s)', (sampler, arg, expected) => {
    const out = telemetryFromEnv({}, { OTEL_TRACES_SAMPLER: sampler, ...(arg ? { OTEL_TRACES_SAMPLER_ARG: arg } : {}) });
    expect(out.telemetry).toEqual({ tracing: expected });
  });

  it('report bad values by variable name and config path, never echoing a header', () => {
    const out = telemetryFromEnv(
      {},
      {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_OTLP_TIMEOUT: '10s',
        OTEL_EXPORTER_OTLP_HEADERS: 'Secret-Header-Value-77',
      },
    );
    expect(out.problems.map((p) => [p.code, p.path])).toEqual([
      ['CONFIG_INVALID_VALUE', '/telemetry/tracing/otlp/protocol'],
      ['CONFIG_INVALID_VALUE', '/telemetry/tracing/otlp/headers'],
      ['CONFIG_INVALID_VALUE', '/telemetry/tracing/otlp/timeoutMs'],
      ['CONFIG_INVALID_VALUE', '/telemetry/tracing/exporter'],
      ['CONFIG_INVALID_VALUE', '/telemetry/tracing/samplingRatio'],
    ]);
    expect(out.problems.map((p) => p.message).join('\n')).not.toContain('Secret-Header-Value-77');
    expect(telemetryFromEnv({}, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }).problems[0]?.message).toMatch(/OTEL_TRACES_SAMPLER_ARG/);
  });
});
