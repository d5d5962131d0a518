// The tools, prompts and resources the official MCP conformance suite (@modelcontextprotocol/conformance 0.1.13
// and 0.2) calls by name. Names, texts and shapes follow each scenario's "Server Implementation Requirements"; the suite's
// own names (test_simple_text, json_schema_2020_12_tool...) win over our <pack>_<verb>_<noun> convention.
import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin, type PromptDefinition, type ResourceDefinition, type ResourceTemplateDefinition, type ToolDefinition } from '@cnmcp/core/plugin';

/** A 1x1 red pixel, PNG. */
const RED_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
/** Eight samples of silence, 8 kHz 8-bit mono PCM WAV. */
const SILENT_WAV = 'UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==';

const NO_ARGS = { type: 'object', properties: {}, additionalProperties: false } as const;
const text = (value: string) => ({ type: 'text' as const, text: value });

const tools: ToolDefinition[] = [
  {
    name: 'test_simple_text',
    description: 'Returns a simple text response',
    inputSchema: NO_ARGS,
    handler: async () => ({ content: [text('This is a simple text response for testing.')] }),
  },
  {
    name: 'test_image_content',
    description: 'Returns a 1x1 PNG image',
    inputSchema: NO_ARGS,
    handler: async () => ({ content: [{ type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' }] }),
  },
  {
    name: 'test_audio_content',
    description: 'Returns a short WAV clip',
    inputSchema: NO_ARGS,
    handler: async () => ({ content: [{ type: 'audio', data: SILENT_WAV, mimeType: 'audio/wav' }] }),
  },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource',
    inputSchema: NO_ARGS,
    handler: async () => ({
      content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }],
    }),
  },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, an image and an embedded resource',
    inputSchema: NO_ARGS,
    handler: async () => ({
      content: [
        text('Multiple content types test:'),
        { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) },
        },
      ],
    }),
  },
  {
    name: 'test_tool_with_logging',
    description: 'Sends three info log notifications while it runs',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      await ctx.log('info', 'Tool execution started');
      await sleep(50, undefined, { signal: ctx.signal });
      await ctx.log('info', 'Tool processing data');
      await sleep(50, undefined, { signal: ctx.signal });
      await ctx.log('info', 'Tool execution completed');
      return { content: [text('Tool with logging executed successfully')] };
    },
  },
  {
    name: 'test_error_handling',
    description: 'Always fails',
    inputSchema: NO_ARGS,
    // Thrown on purpose: the kernel, not the tool, turns a handler failure into an `isError` result.
    handler: async () => {
      throw new Error('This tool intentionally returns an error for testing');
    },
  },
  {
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      await ctx.progress(0, 100);
      await sleep(50, undefined, { signal: ctx.signal });
      await ctx.progress(50, 100);
      await sleep(50, undefined, { signal: ctx.signal });
      await ctx.progress(100, 100);
      return { content: [text('Tool with progress executed successfully')] };
    },
  },
  {
    name: 'test_sampling',
    description: 'Asks the client to sample an LLM with the given prompt',
    inputSchema: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } },
      required: ['prompt'],
      additionalProperties: false,
    },
    handler: async (args, ctx) => {
      const result = await ctx.request('sampling/createMessage', {
        messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt) } }],
        maxTokens: 100,
      });
      const content = result.content as { type?: string; text?: string } | undefined;
      return { content: [text(`LLM response: ${content?.type === 'text' ? content.text : JSON.stringify(content)}`)] };
    },
  },
  {
    name: 'test_elicitation',
    description: 'Asks the user for a username and an email address',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', description: 'The message to show the user' } },
      required: ['message'],
      additionalProperties: false,
    },
    handler: async (args, ctx) => {
      const result = await ctx.request('elicitation/create', {
        message: String(args.message),
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      });
      return { content: [text(`User response: action=${String(result.action)}, content=${JSON.stringify(result.content ?? {})}`)] };
    },
  },
  {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    // The suite's fixture: SEP-1613 ($schema, $defs, additionalProperties) and SEP-2106 ($anchor, allOf/anyOf,
    // if/then/else), all of which tools/list must hand out as written.
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: {
        name: { type: 'string' },
        address: { $ref: '#/$defs/address' },
        contactMethod: { type: 'string', enum: ['phone', 'email'] },
        phone: { type: 'string' },
        email: { type: 'string' },
      },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
      then: { required: ['phone'] },
      else: { required: ['email'] },
      additionalProperties: false,
    },
    handler: async (args) => ({ content: [text(`Received: ${JSON.stringify(args)}`)] }),
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicits one field of each primitive type, each with a default (SEP-1034)',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      const result = await ctx.request('elicitation/create', {
        message: 'Please review and update the form fields with defaults',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
        },
      });
      return { content: [text(`Elicitation completed: action=${String(result.action)}, content=${JSON.stringify(result.content ?? {})}`)] };
    },
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicits the five enum schema variants (SEP-1330)',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      const result = await ctx.request('elicitation/create', {
        message: 'Please select options from the enum fields',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', description: 'Untitled single-select', enum: ['option1', 'option2', 'option3'] },
            titledSingle: {
              type: 'string',
              description: 'Titled single-select',
              oneOf: [
                { const: 'value1', title: 'First Option' },
                { const: 'value2', title: 'Second Option' },
                { const: 'value3', title: 'Third Option' },
              ],
            },
            legacyEnum: {
              type: 'string',
              description: 'Legacy titled enum',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: { type: 'array', description: 'Untitled multi-select', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
            titledMulti: {
              type: 'array',
              description: 'Titled multi-select',
              items: {
                anyOf: [
                  { const: 'value1', title: 'First Choice' },
                  { const: 'value2', title: 'Second Choice' },
                  { const: 'value3', title: 'Third Choice' },
                ],
              },
            },
          },
        },
      });
      return { content: [text(`Elicitation completed: action=${String(result.action)}, content=${JSON.stringify(result.content ?? {})}`)] };
    },
  },
  {
    // The suite expects this tool to close its own SSE stream mid-call (SEP-1699). A ToolContext offers no way to
    // do that, so it only runs long enough for a stream to be worth closing and answers on the same stream.
    name: 'test_reconnection',
    description: 'Runs briefly, for the SSE polling scenario',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      await sleep(100, undefined, { signal: ctx.signal });
      return { content: [text('Reconnection test completed')] };
    },
  },
];

/** An elicitation of one required string field. */
const askFor = (message: string, field: string) => ({
  message,
  requestedSchema: { type: 'object', properties: { [field]: { type: 'string' } }, required: [field] },
});
const CONFIRM = { message: 'Please confirm', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } };
const sample = (prompt: string, maxTokens: number) => ({ messages: [{ role: 'user', content: text(prompt) }], maxTokens });
/** The `field` of an accepted elicitation's content. */
const answered = (result: Record<string, unknown>, field: string) => String((result.content as Record<string, unknown> | undefined)?.[field] ?? 'unknown');
const sampledText = (result: Record<string, unknown>) => {
  const content = result.content as { text?: unknown } | undefined;
  return typeof content?.text === 'string' ? content.text : 'no response';
};

/**
 * The diagnostic tools of the 2026-07-28 scenarios (suite 0.2): input-required rounds (SEP-2322), written once
 * with ctx.request() and named question keys, as a tool pack would write them; the kernel turns each question into
 * an input_required answer and runs the handler again with the client's answers.
 */
const modernTools: ToolDefinition[] = [
  {
    name: 'test_missing_capability',
    description: 'Needs the client to declare sampling',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      // Without the capability ctx.request() refuses at once: -32021 with requiredCapabilities (HTTP 400).
      if (!ctx.clientSupports('sampling')) await ctx.request('sampling/createMessage', sample('unused', 1));
      return { content: [text('Success')] };
    },
  },
  {
    name: 'test_input_required_result_elicitation',
    description: 'Asks the user for a name (elicitation), then greets them',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      const result = await ctx.request('elicitation/create', askFor('What is your name?', 'name'), { key: 'user_name' });
      return { content: [text(`Hello, ${answered(result, 'name')}!`)] };
    },
  },
  {
    name: 'test_input_required_result_sampling',
    description: 'Asks the client to sample a model',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      const result = await ctx.request('sampling/createMessage', sample('What is the capital of France?', 100), { key: 'sample_request' });
      return { content: [text(`Sampling result: ${sampledText(result)}`)] };
    },
  },
  {
    name: 'test_input_required_result_list_roots',
    description: "Asks for the client's roots",
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      const result = await ctx.request('roots/list', {}, { key: 'roots_request' });
      return { content: [text(`Found ${Array.isArray(result.roots) ? result.roots.length : 0} root(s)`)] };
    },
  },
  {
    name: 'test_input_required_result_request_state',
    description: 'Asks for a confirmation; the round carries signed requestState',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      const result = await ctx.request('elicitation/create', CONFIRM, { key: 'confirm' });
      const ok = (result.content as { ok?: unknown } | undefined)?.ok === true;
      return { content: [text(ok ? 'state-ok: requestState validated' : 'not confirmed')] };
    },
  },
  {
    name: 'test_input_required_result_multiple_inputs',
    description: 'Asks for a name, a sampled greeting and the roots in one round',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      // Asked together, so one input_required answer carries all three.
      const [name, greeting, roots] = await Promise.all([
        ctx.request('elicitation/create', askFor('What is your name?', 'name'), { key: 'user_name' }),
        ctx.request('sampling/createMessage', sample('Generate a greeting', 50), { key: 'greeting' }),
        ctx.request('roots/list', {}, { key: 'client_roots' }),
      ]);
      const count = Array.isArray(roots.roots) ? roots.roots.length : 0;
      return { content: [text(`Name: ${answered(name, 'name')}; Greeting: ${sampledText(greeting)}; Roots: ${count}`)] };
    },
  },
  {
    name: 'test_input_required_result_multi_round',
    description: 'Asks for a name, then (next round) a favourite colour',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      const name = answered(await ctx.request('elicitation/create', askFor('Step 1: What is your name?', 'name'), { key: 'step1' }), 'name');
      const color = answered(await ctx.request('elicitation/create', askFor('Step 2: What is your favorite color?', 'color'), { key: 'step2' }), 'color');
      return { content: [text(`Multi-round complete for ${name} who likes ${color}`)] };
    },
  },
  {
    name: 'test_input_required_result_tampered_state',
    description: 'Asks for a confirmation; a tampered requestState is refused',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      await ctx.request('elicitation/create', CONFIRM, { key: 'confirm' });
      return { content: [text('integrity-ok: state verified')] };
    },
  },
  {
    name: 'test_input_required_result_capabilities',
    description: 'Asks only for what the client declared (elicitation, sampling)',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      const asks: Promise<Record<string, unknown>>[] = [];
      if (ctx.clientSupports('elicitation')) asks.push(ctx.request('elicitation/create', askFor('Elicitation input', 'value'), { key: 'elicit_input' }));
      if (ctx.clientSupports('sampling')) asks.push(ctx.request('sampling/createMessage', sample('Sample request', 50), { key: 'sample_input' }));
      if (asks.length === 0) return { content: [text('No supported capabilities declared')] };
      await Promise.all(asks);
      return { content: [text(`capabilities-ok: received ${asks.length} answer(s)`)] };
    },
  },
  {
    name: 'test_streaming_elicitation',
    description: 'Reports progress, then asks the user to confirm',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      await ctx.progress(50, 100);
      await ctx.request('elicitation/create', CONFIRM, { key: 'confirm' });
      return { content: [text('Streaming complete')] };
    },
  },
  {
    // SEP-2243: a client mirrors `region` into the Mcp-Param-Region header; the server checks they agree.
    name: 'test_custom_header',
    description: 'Echoes its region, which the client also sends as the Mcp-Param-Region header',
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } }, required: ['region'] },
    handler: async (args) => ({ content: [text(`region: ${String(args.region)}`)] }),
  },
  {
    name: 'test_logging_tool',
    description: 'Logs one info line (sent only when the request asked for a log level)',
    inputSchema: NO_ARGS,
    handler: async (_args, ctx) => {
      await ctx.log('info', 'Diagnostic trace logging activated');
      return { content: [text('Logging evaluated')] };
    },
  },
];

const prompts: PromptDefinition[] = [
  {
    name: 'test_simple_prompt',
    description: 'A simple prompt without arguments',
    get: async () => ({ messages: [{ role: 'user', content: text('This is a simple prompt for testing.') }] }),
  },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two required arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
    get: async (args) => ({ messages: [{ role: 'user', content: text(`Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'`) }] }),
    complete: async (_argument, value) => ['paris', 'park', 'party', 'test', 'testing'].filter((v) => v.startsWith(value)),
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds the resource it is given',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    get: async (args) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'resource', resource: { uri: args.resourceUri ?? '', mimeType: 'text/plain', text: 'Embedded resource content for testing.' } },
        },
        { role: 'user', content: text('Please process the embedded resource above.') },
      ],
    }),
  },
  {
    name: 'test_prompt_with_image',
    description: 'A prompt with an image',
    get: async () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' } },
        { role: 'user', content: text('Please analyze the image above.') },
      ],
    }),
  },
];

const modernPrompts: PromptDefinition[] = [
  {
    name: 'test_input_required_result_prompt',
    description: 'A prompt that asks the user for its context first (input-required on prompts/get)',
    get: async (_args, ctx) => {
      const result = await ctx.request('elicitation/create', askFor('What context should the prompt use?', 'context'), { key: 'user_context' });
      return { messages: [{ role: 'user', content: text(`Prompt with context: ${answered(result, 'context')}`) }] };
    },
  },
];

const resources: ResourceDefinition[] = [
  {
    uri: 'test://static-text',
    name: 'Static text resource',
    description: 'A static text resource for testing',
    mimeType: 'text/plain',
    read: async () => [{ uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
  },
  {
    uri: 'test://static-binary',
    name: 'Static binary resource',
    description: 'A static binary resource (a 1x1 PNG) for testing',
    mimeType: 'image/png',
    read: async () => [{ uri: 'test://static-binary', mimeType: 'image/png', blob: RED_PIXEL_PNG }],
  },
  {
    uri: 'test://watched-resource',
    name: 'Watched resource',
    description: 'A resource clients subscribe to',
    mimeType: 'text/plain',
    read: async () => [{ uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content.' }],
  },
];

const resourceTemplates: ResourceTemplateDefinition[] = [
  {
    uriTemplate: 'test://template/{id}/data',
    name: 'Template data',
    description: 'Data for the given id',
    mimeType: 'application/json',
    read: async (uri, { id }) => [{ uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }],
    complete: async (_variable, value) => ['123', '456', '789'].filter((v) => v.startsWith(value)),
  },
];

export default definePlugin({
  kind: 'tool-pack',
  name: 'conformance',
  description: 'What the MCP conformance suite expects of a server under test',
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  async setup() {
    return { tools: [...tools, ...modernTools], prompts: [...prompts, ...modernPrompts], resources, resourceTemplates };
  },
});
