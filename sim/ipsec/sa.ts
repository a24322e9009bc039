/**
 * A security association (RFC 4301 §4.4.2): its identity and its live state.
 *
 * Owns per-SA state: SPI, tunnel endpoints (uint32), the UDP ports of ESP in UDP (RFC 3948)
 * when IKE negotiated it, direction, transform, keys, the
 * outbound sequence counter, the inbound anti-replay window, the IV source, every counter
 * of the SA (inner packets the sender put into it; ESP packets and bytes each way) and the
 * SA's traffic selectors as prefix pairs. The SAD (sad.ts) holds the SAs of a run and is
 * the one place a listing (`vgw sas`, the tunnel summary, the TUI) reads them from.
 */
import { CounterIvSource, PrngIvSource, type IvSource } from './iv.js';
import { spiText } from '../wire/esp.js';
import { UDP_HEADER_LEN, type UdpPorts } from '../wire/udp.js';
import { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay.js';
import type { Transform } from './transforms.js';
import type { CbcStream, EspFramer } from './crypto.js';

/** One traffic selector pair of an SA: local prefix ↔ remote prefix (addresses as uint32). */
export interface TrafficSelector {
  readonly localAddr: number;
  readonly localLen: number;
  readonly remoteAddr: number;
  readonly remoteLen: number;
}

/**
 * The UDP ports of an SA's ESP-in-UDP packets (RFC 3948), as on the wire between the tunnel
 * ends: the sender's and the receiver's (4500 at a side that is not behind a NAT).
 */
export type EspUdpPorts = UdpPorts;

/** Direction of an SA, seen from the gateway that holds it. */
export type SaDirection = 'in' | 'out';

/** What it takes to install an SA. */
export interface SaConfig {
  readonly spi: number;
  /** Tunnel source (outer header source) as uint32. */
  readonly src: number;
  /** Tunnel destination (outer header destination) as uint32. */
  readonly dst: number;
  /** ESP in UDP between these ports (IKE saw a NAT); absent or null: plain ESP, IP protocol 50. */
  readonly udpEncap?: EspUdpPorts | null;
  readonly direction: SaDirection;
  readonly transform: Transform;
  /** Encryption key (GCM: key ‖ 4-byte salt). */
  readonly encKey: Uint8Array;
  /** Integrity key (empty for GCM). */
  readonly authKey: Uint8Array;
  /** Policy reference shared by the SAs of one connection/prefix pair. */
  readonly reqid: number;
  /** Name for traces (`conn/child`). */
  readonly name?: string;
  readonly selectors?: readonly TrafficSelector[];
  /** Anti-replay window size (inbound); default 64. */
  readonly replayWindow?: number;
  /** IV source (outbound); default: PRNG stream for CBC, counter for GCM. */
  readonly ivSource?: IvSource;
  /** Seed for the default PRNG IV source. */
  readonly seed?: number;
}

/** Live state of one SA. Mutable counters, immutable identity. */
export class SecurityAssociation {
  readonly spi: number;
  readonly src: number;
  readonly dst: number;
  /** ESP in UDP: the UDP ports (0 and 0: plain ESP) and the header's length (8, or 0), read per packet. */
  readonly udpSrcPort: number;
  readonly udpDstPort: number;
  readonly udpHeaderLen: number;
  readonly direction: SaDirection;
  readonly transform: Transform;
  readonly encKey: Uint8Array;
  readonly authKey: Uint8Array;
  readonly reqid: number;
  readonly name: string;
  readonly selectors: readonly TrafficSelector[];
  readonly replay: ReplayWindow;
  readonly ivSource: IvSource;
  /** Last sequence number sent (outbound); 0 before the first packet. */
  seqOut = 0;
  /**
   * Inner packets and bytes the sending end put into this SA (counted by the encrypt node:
   * a packet fragmented into several ESP packets counts once), in every flow of a sharded
   * run, whose bytes only one worker builds.
   */
  sentPackets = 0;
  sentBytes = 0;
  /** ESP packets and the bytes of the inner packets (or fragments) in them, counted by the ESP transform (esp.ts). */
  packetsIn = 0;
  bytesIn = 0;
  packetsOut = 0;
  bytesOut = 0;
  /**
   * CBC only: the last ciphertext block of this SA's outbound chain (all zero before the
   * first packet). Each packet's IV continues this chain (see esp.ts), so a backend's
   * long-lived context and a per-packet one give the same bytes. While a framer is bound
   * it keeps the chain itself and this block is the one it started from; esp.ts copies
   * the framer's chain back here before another backend takes over.
   */
  readonly cbcChain: Uint8Array;
  /** GCM: the AES key (encKey without its salt) and the 4-byte salt, as views made once. */
  readonly gcmKey: Uint8Array;
  readonly gcmSalt: Uint8Array;
  /**
   * What the backend named `contextBackend` keeps for this SA, made on first use by esp.ts
   * (`bindContexts`): its framer for the whole transform, or (without one) long-lived CBC
   * contexts, or nothing (the per-packet calls are used).
   */
  framer: EspFramer | null = null;
  encStream: CbcStream | null = null;
  decStream: CbcStream | null = null;
  contextBackend = '';

  constructor(c: SaConfig) {
    this.spi = c.spi >>> 0;
    this.src = c.src >>> 0;
    this.dst = c.dst >>> 0;
    this.udpSrcPort = c.udpEncap ? c.udpEncap.srcPort : 0;
    this.udpDstPort = c.udpEncap ? c.udpEncap.dstPort : 0;
    this.udpHeaderLen = c.udpEncap ? UDP_HEADER_LEN : 0;
    this.direction = c.direction;
    this.transform = c.transform;
    this.encKey = c.encKey;
    this.authKey = c.authKey;
    this.reqid = c.reqid;
    this.name = c.name ?? `spi-${spiText(this.spi)}`;
    this.selectors = Object.freeze([...(c.selectors ?? [])]);
    this.replay = new ReplayWindow(c.replayWindow ?? DEFAULT_REPLAY_WINDOW);
    const saltLen = c.transform.encryption.saltLength;
    this.gcmKey = c.encKey.subarray(0, c.encKey.length - saltLen);
    this.gcmSalt = c.encKey.subarray(c.encKey.length - saltLen);
    this.cbcChain = new Uint8Array(c.transform.encryption.mode === 'cbc' ? c.transform.encryption.blockSize : 0);
    this.ivSource =
      c.ivSource ?? (c.transform.encryption.mode === 'gcm' ? new CounterIvSource(1) : new PrngIvSource(c.seed ?? 0, `iv/${this.name}/${this.spi}`));
  }
}
