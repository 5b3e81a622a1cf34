/**
 * "Does this look like a secret?" One answer, used by the generator (tenant `env`) and
 * by the check (rendered env values, ConfigMaps, annotations, tracked files).
 */

/** Words that name a credential, also at the end of a longer word (PGPASSWORD, GITHUBTOKEN). */
const SECRET_SUFFIXES: readonly string[] = ["PASSWORD", "PASSWD", "PASSPHRASE", "TOKEN", "SECRET", "CREDENTIAL", "CREDENTIALS", "APIKEY"];
/** Short words that name a credential only on their own (BYPASS and PWDUMP are not secrets). */
const SECRET_WORDS: readonly string[] = ["PASS", "PWD"];

/** The words of a name: split on anything not a letter or digit, and at lower-to-upper case changes. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/**
 * An env var name that holds a secret: a word PASS or PWD, a word ending in PASSWORD,
 * PASSWD, PASSPHRASE, TOKEN, SECRET, CREDENTIAL(S) or APIKEY (DB_PASSWORD, PGPASSWORD,
 * clientSecret), or a name whose last word is KEY (API_KEY, ENCRYPTION_KEY). Words, not
 * substrings, so MAX_TOKENS, TOKENIZER_MODEL and PASSTHROUGH_MODE are not secrets.
 */
export function secretLookingName(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => SECRET_WORDS.includes(w) || SECRET_SUFFIXES.some((s) => w.endsWith(s))) || words[words.length - 1] === "KEY";
}

/** Credential-looking strings. Patterns are built so this file does not match itself. */
export const CREDENTIAL_PATTERNS: readonly { name: string; re: RegExp }[] = [
  { name: "PEM private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { name: "URL with embedded credentials", re: /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:/@"'`]+:[^\s/@"'`]+@[^\s/@"'`]+/ },
  { name: "AWS access key id", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "JWT", re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/** The first credential pattern a string matches. */
export function credentialIn(text: string): string | undefined {
  return CREDENTIAL_PATTERNS.find((p) => p.re.test(text))?.name;
}

/** What to print instead of a value that may be a secret: never the value itself. */
export function redacted(value: string): string {
  return `<${value.length} characters, not shown>`;
}
