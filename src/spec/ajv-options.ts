/** The ajv settings, shared by run-time compilation and the build-time standalone validator. */
export const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  // `required` inside oneOf branches names properties declared beside the oneOf, not in the branch.
  strictRequired: false,
  allowUnionTypes: true,
  discriminator: true,
} as const;

/** Our own annotations: `x-rule` (the naming rule a pattern stands for), `x-message` (for a oneOf). */
export const CUSTOM_KEYWORDS = ['x-rule', 'x-message'];
