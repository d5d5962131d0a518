// Text inputs travel inside one JSON-RPC message; the kernel caps bodies too, this keeps the schemas honest about it.
export const MAX_TEXT_INPUT_LENGTH = 1_048_576;
