const listenPattern = '^(\\[[0-9a-fA-F:.]+\\]|[^:\\s]+):\\d{1,5}$';

/** The `telemetry:` section: OpenTelemetry tracing and Prometheus metrics. Everything is off by default. */
export const telemetrySchema = {
  type: 'object',
  default: {},
  description: 'OpenTelemetry traces and Prometheus metrics. Off by default; the SDK loads only when something here is on.',
  additionalProperties: false,
  properties: {
    resource: {
      type: 'object',
      default: {},
      description: 'Resource attributes on every span and metric (target_info).',
      additionalProperties: false,
      properties: {
        serviceName: { type: 'string', minLength: 1, default: 'cnmcp', description: 'service.name' },
        serviceVersion: { type: 'string', minLength: 1, description: 'service.version (default: the cnmcp version).' },
        serviceInstanceId: { type: 'string', minLength: 1, description: 'service.instance.id (default: host name and process id).' },
        attributes: {
          type: 'object',
          additionalProperties: { type: 'string' },
          default: {},
          description: 'Extra resource attributes, e.g. deployment.environment.name: prod.',
        },
      },
    },
    tracing: {
      type: 'object',
      default: {},
      description:
        'A span per request and per MCP message, each stage as an event on it (or as a child span), and a span per tool call, audit record and backend call. The W3C traceparent of the client is continued.',
      additionalProperties: false,
      properties: {
        exporter: {
          enum: ['none', 'console', 'otlp'],
          default: 'none',
          description: 'Where finished spans go: an OTLP collector, stderr (console), or nowhere (none: tracing off).',
        },
        samplingRatio: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          default: 1,
          description: 'Share of new traces recorded (parent-based: a sampled traceparent from the client is always followed).',
        },
        stages: {
          enum: ['events', 'spans'],
          default: 'events',
          description:
            'How the pipeline stages appear: events (one event per stage, and one for writing the audit record, on the request or message span, with its outcome and duration; the call stays a span) or spans (a child span for each, five times the spans per call).',
        },
        parentBased: {
          type: 'boolean',
          default: true,
          description:
            "Follow the sampling decision of the client's traceparent (false: apply samplingRatio to every trace, as OTEL_TRACES_SAMPLER=traceidratio).",
        },
        otlp: {
          type: 'object',
          default: {},
          description: 'OTLP exporter settings (exporter: otlp).',
          additionalProperties: false,
          properties: {
            protocol: { enum: ['http/protobuf', 'http/json', 'grpc'], default: 'http/protobuf', description: 'OTLP transport and encoding.' },
            endpoint: {
              type: 'string',
              minLength: 1,
              description: 'Collector URL. Default http://localhost:4318/v1/traces (http/*) or http://localhost:4317 (grpc).',
            },
            headers: {
              type: 'object',
              additionalProperties: { type: 'string' },
              default: {},
              description: 'Headers sent with every export, e.g. authorization: "Bearer ${env:OTLP_TOKEN}".',
            },
            timeoutMs: { type: 'integer', minimum: 1, default: 10000, description: 'Export timeout.' },
          },
        },
      },
    },
    metrics: {
      type: 'object',
      default: {},
      description: 'Prometheus metrics (cnmcp_*) at GET /metrics.',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', default: false, description: 'Serve /metrics.' },
        listen: {
          type: 'string',
          pattern: listenPattern,
          description:
            'host:port of a separate plain-HTTP listener for /metrics (no auth: protect it by network). Without it, /metrics is on the main listener and, when auth is on, needs an identity with the admin or metrics role.',
        },
      },
    },
  },
} as const;
