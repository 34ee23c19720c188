import { ApiError, isLoopback } from "@jobrun/core";
import { checkUniverseDomain, DEFAULT_UNIVERSE_DOMAIN } from "../universe.js";

/**
 * Reads the fields of a credentials file (parsed JSON), with errors that name the file and the
 * field, and say what was expected. No error ever quotes a value: a field may hold a secret
 * (client_secret, refresh_token, private_key), and the one that does not may sit beside one.
 */
export class CredentialFields {
  /**
   * @param origin the file, for messages: "credentials file /etc/gcp/wif.json (GOOGLE_APPLICATION_CREDENTIALS)"
   * @param path where these fields sit in the file, e.g. "credential_source"; "" at the top
   */
  constructor(
    readonly origin: string,
    readonly fields: Readonly<Record<string, unknown>>,
    readonly path = "",
  ) {}

  /** Checks a parsed document is a JSON object before reading it. */
  static of(origin: string, value: unknown): CredentialFields {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ApiError("INVALID_ARGUMENT", `${origin} is not a JSON object`);
    }
    return new CredentialFields(origin, value as Record<string, unknown>);
  }

  /** The error for a field: "<origin>: <path.name> <problem>". */
  error(name: string, problem: string): ApiError {
    return new ApiError("INVALID_ARGUMENT", `${this.origin}: ${this.pathOf(name)} ${problem}`);
  }

  /** The error for this object as a whole: "<origin>: <path> <problem>". */
  errorHere(problem: string): ApiError {
    return new ApiError(
      "INVALID_ARGUMENT",
      `${this.origin}: ${this.path === "" ? "the file" : this.path} ${problem}`,
    );
  }

  has(name: string): boolean {
    return this.fields[name] !== undefined && this.fields[name] !== null;
  }

  /** A non-empty string the file must have. */
  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw this.error(name, "is missing");
    return value;
  }

  /** A non-empty string, or undefined when the field is absent. */
  optionalString(name: string): string | undefined {
    if (!this.has(name)) return undefined;
    const value = this.fields[name];
    if (typeof value !== "string" || value.trim() === "")
      throw this.error(name, "must be a non-empty string");
    return value;
  }

  /** An integer in [min, max], or undefined when absent. */
  optionalInteger(name: string, min: number, max: number): number | undefined {
    if (!this.has(name)) return undefined;
    const value = this.fields[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw this.error(name, `must be an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** A list of non-empty strings, or [] when absent. */
  stringList(name: string): string[] {
    if (!this.has(name)) return [];
    const value = this.fields[name];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item !== "")) {
      throw this.error(name, "must be a list of non-empty strings");
    }
    return value as string[];
  }

  /** A map of strings to strings (HTTP headers), or {} when absent. */
  stringMap(name: string): Record<string, string> {
    if (!this.has(name)) return {};
    const value = this.fields[name];
    if (
      typeof value !== "object" ||
      value === null ||
      Array.isArray(value) ||
      !Object.values(value).every((item) => typeof item === "string")
    ) {
      throw this.error(name, "must be an object of string values");
    }
    return { ...(value as Record<string, string>) };
  }

  /** The fields of a nested object the file must have. */
  object(name: string): CredentialFields {
    const value = this.fields[name];
    if (value === undefined || value === null) throw this.error(name, "is missing");
    if (typeof value !== "object" || Array.isArray(value)) throw this.error(name, "must be a JSON object");
    return new CredentialFields(this.origin, value as Record<string, unknown>, this.pathOf(name));
  }

  /** A nested object, or undefined when absent. */
  optionalObject(name: string): CredentialFields | undefined {
    return this.has(name) ? this.object(name) : undefined;
  }

  /**
   * A URL a token is sent to or fetched from: absolute, https (http only to this machine, for local
   * fakes and sidecars), without user:password. The value is not echoed: it is the file's to know.
   */
  url(name: string): string;
  url(name: string, optional: true): string | undefined;
  url(name: string, optional?: true): string | undefined {
    const text = optional ? this.optionalString(name) : this.string(name);
    if (text === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw this.error(name, "is not an absolute URL");
    }
    if (url.username !== "" || url.password !== "") throw this.error(name, "must not carry user:password");
    if (url.protocol === "https:") return url.href;
    if (url.protocol === "http:" && isLoopback(url.hostname)) return url.href;
    throw this.error(name, "must be an https URL (http only for localhost)");
  }

  /** The file's `universe_domain`, checked; "googleapis.com" when absent. */
  universeDomain(): string {
    const domain = this.optionalString("universe_domain");
    if (domain === undefined) return DEFAULT_UNIVERSE_DOMAIN;
    try {
      return checkUniverseDomain(domain, "universe_domain");
    } catch {
      throw this.error("universe_domain", 'must be a domain name such as "googleapis.com"');
    }
  }

  private pathOf(name: string): string {
    return this.path === "" ? name : `${this.path}.${name}`;
  }
}
