/**
 * The declaration of a site device's `nat:` block (vgwsim extension): the device sits behind
 * a NAT, its own address is `privateIp`, and the site's `gatewayIp` is the NAT's public
 * address (what Azure's local network gateway holds: you enter the public IP).
 *
 * Owns the block's one key and its conversion (an IPv4 address, read as everywhere in the
 * format: INVALID_PREFIX for one that is not). Refuses nothing else here: that privateIp
 * differs from gatewayIp is the site's rule (declarations.ts), whether it is a unicast
 * address and what Azure's documents say of a device behind a NAT are checks
 * (sim/scenario/checks/device-nat.ts), since they need the rest of the scenario.
 */
import type { DeviceNat } from '../types.js';
import { ipv4, object, required, transform } from './dsl.js';
import type { Schema } from './dsl.js';

/** The schema of a device's `nat:` block. */
export const deviceNatSchema: Schema<DeviceNat> = transform(
  object({
    noun: 'NAT',
    description: 'vgwsim extension: a NAT in front of the device (source NAT of its IKE and ESP-in-UDP packets to the site\'s gatewayIp).',
    fields: {
      privateIp: required(
        ipv4(),
        'The device\'s own address behind the NAT; the site\'s gatewayIp is the NAT\'s public address.',
        'the device\'s address behind the NAT, e.g. 192.168.1.10',
      ),
    },
  }),
  (n): DeviceNat => ({ path: n.path, privateIp: n.privateIp.value, privateIpText: n.privateIp.text }),
);
