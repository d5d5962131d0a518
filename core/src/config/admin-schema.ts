/** The `admin:` section: the browser console served under /admin/ (off unless enabled). */
export const adminSchema = {
  type: 'object',
  default: {},
  additionalProperties: false,
  description: 'Operator-facing endpoints beyond the MCP protocol.',
  properties: {
    console: {
      type: 'object',
      default: {},
      additionalProperties: false,
      description:
        'The read-only admin console under /admin/ (audit explorer, activity charts, status), behind the same authentication and the console:read permission. See docs/operations/admin-console.md.',
      properties: {
        enabled: { type: 'boolean', default: false, description: 'Serve the console. Off by default.' },
        tracingUrl: {
          type: 'string',
          pattern: '^https?://[^\\s]*\\{traceId\\}',
          description:
            "Link from an audit event to its trace in your tracing UI; `{traceId}` is replaced by the event's trace id (e.g. `https://jaeger.example.com/trace/{traceId}`).",
        },
      },
    },
  },
} as const;
