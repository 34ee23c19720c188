import { createKeyStore, hashApiKey, type KeyStore } from "../../src/index.js";

/** Fixed test keys (secrets in a test only) and the store holding their hashes. */
export const KEYS = {
  reader: "jrp_reader_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  operator: "jrp_operator_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  overrider: "jrp_overrider_ccccccccccccccccccccccccccccccccccccccc",
  europe: "jrp_europe_ddddddddddddddddddddddddddddddddddddddddddd",
  everything: "jrp_everything_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
} as const;

export async function testKeyStore(project: string, otherProject: string): Promise<KeyStore> {
  return createKeyStore([
    { id: "reader", hash: await hashApiKey(KEYS.reader), role: "reader", scopes: [`projects/${project}`] },
    {
      id: "operator",
      hash: await hashApiKey(KEYS.operator),
      role: "operator",
      scopes: [`projects/${project}`],
    },
    {
      id: "overrider",
      hash: await hashApiKey(KEYS.overrider),
      role: "operator",
      scopes: [`projects/${project}`],
      overrideDeployPolicy: true,
    },
    {
      id: "europe",
      hash: await hashApiKey(KEYS.europe),
      role: "operator",
      scopes: [`projects/${project}/locations/europe-west1`],
    },
    {
      id: "everything",
      hash: await hashApiKey(KEYS.everything),
      role: "operator",
      scopes: [`projects/${project}`, `projects/${otherProject}`],
      overrideDeployPolicy: true,
    },
  ]);
}
