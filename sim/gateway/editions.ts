/**
 * The editions of Azure's rules vgwsim knows (which version of the documents a scenario is
 * checked against), their descriptions and the default. Data only; the tables of each
 * edition are in capabilities.ts and ipsec-parameters.ts.
 */

/** Which edition of the rules applies (BGP on Standard, IPsec offers; see EDITIONS). */
export type RulesEdition = 'azure-2016-02' | 'azure-2016-late' | 'azure-2018-10';
/** The edition of a scenario that names none. */
export const DEFAULT_EDITION: RulesEdition = 'azure-2016-02';

// ---------------------------------------------------------------------------------------
// Editions
// ---------------------------------------------------------------------------------------

/** One edition of the rules: its name, what distinguishes it, and whether it is the default. */
export interface EditionInfo {
  readonly edition: RulesEdition;
  readonly isDefault: boolean;
  readonly description: string;
}

/** Every edition the simulator knows, the default (`DEFAULT_EDITION`) first. */
export const EDITIONS: readonly EditionInfo[] = [
  {
    edition: 'azure-2016-02',
    isDefault: true,
    description:
      'Azure "About VPN gateways", February 2016 (the default): BGP only on route-based HighPerformance gateways.',
  },
  {
    edition: 'azure-2016-late',
    isDefault: false,
    description:
      'Later 2016 editions of the same tables: route-based Standard gateways support BGP too, and route-based IPsec takes SHA1 or SHA256 in phase 1 '
      + 'with lifetimes of 10,800 s (phase 1) and 3,600 s (phase 2), and no PFS of its own (it accepts groups 1, 2, 5, 14, 24 as responder).',
  },
  {
    edition: 'azure-2018-10',
    isDefault: false,
    description:
      'Azure "About VPN devices" of October 2018, for the SKUs vgwsim models (Basic, Standard, HighPerformance): the gateway table of azure-2016-late, '
      + 'route-based ESP offers that start with AES-GCM (aes256gcm16) and drop MD5 and NULL, and custom IPsec/IKE policies on route-based Standard and '
      + 'HighPerformance gateways (any of their algorithms: aes128gcm16, 3des-md5, null-sha1, ...).',
  },
];

/** A one-line statement of which edition applies when a scenario names none. */
export const DEFAULT_EDITION_DESCRIPTION = `Default rules edition: ${DEFAULT_EDITION} (${
  EDITIONS.find((e) => e.isDefault)?.description ?? ''
})`;
