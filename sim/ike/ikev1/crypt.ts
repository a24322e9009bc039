/**
 * Encryption of one ISAKMP SA's messages (RFC 2409 §5.3, Appendix B): CBC with the phase-1
 * key Ka and IVs chained from message to message.
 *
 * Owns the IV bookkeeping, which is strongSwan's (`iv_manager.c`): Main Mode starts from
 * hash(g^xi ‖ g^xr) and each encrypted phase-1 message's last ciphertext block is the next
 * IV; an exchange with message ID M starts from hash(last phase-1 block ‖ M) and chains
 * within M; Informational exchanges always start fresh (strongSwan never updates their IV,
 * `message.c`), so they do not disturb a Quick Mode under way. A received message's last
 * block becomes the next IV only once the caller `confirm`s it (after its hash verified), so
 * a forged or undecryptable message leaves the chain as it was. Padding is strongSwan's
 * (zeros) unless told otherwise. Refuses (as a value) a ciphertext that is not a whole number
 * of blocks; whether the plaintext makes sense is the caller's question.
 */
import type { CryptoBackend } from '../../ipsec/crypto.js';
import type { IkeCbcEncryption, IkePrf } from '../algorithms.js';
import { phase2Iv } from '../keys-v1.js';
import { ExchangeType, encodeEncrypted, plaintextOf, type EncryptedIsakmpMessage, type IsakmpHeaderFields, type IsakmpPadding, type IsakmpPayload } from '../../wire/isakmp.js';

/** A decrypted body, or why there is none. */
export type Decrypted =
  | { readonly ok: true; readonly plaintext: Uint8Array; readonly lastBlock: Uint8Array }
  | { readonly ok: false; readonly why: string };

/** One ISAKMP SA's cipher state. */
export class Ikev1Crypter {
  /** The phase-1 chain: the IV of the next Main Mode message, then the seed of every phase-2 IV. */
  private phase1: Uint8Array;
  /** The next IV of each phase-2 exchange (Quick Mode) by message ID. */
  private readonly phase2 = new Map<number, Uint8Array>();

  constructor(
    private readonly be: CryptoBackend,
    private readonly encryption: IkeCbcEncryption,
    private readonly prf: IkePrf,
    private readonly key: Uint8Array,
    initialIv: Uint8Array,
    private readonly padding: IsakmpPadding = 'zeros',
  ) {
    this.phase1 = initialIv.slice();
  }

  /** The IV the next message of exchange `messageId` (of type `exchangeType`) uses. */
  ivFor(messageId: number, exchangeType: number): Uint8Array {
    if (messageId === 0) return this.phase1;
    if (exchangeType !== ExchangeType.INFORMATIONAL) {
      const iv = this.phase2.get(messageId);
      if (iv) return iv;
    }
    return phase2Iv(this.be, this.prf, this.phase1, messageId, this.encryption);
  }

  /** Encrypt `payloads` under `header` into a whole message, and move the chain on (never for Informational). */
  encrypt(header: IsakmpHeaderFields, payloads: readonly IsakmpPayload[]): Uint8Array {
    const { firstPayload, plaintext } = plaintextOf(payloads, this.encryption.blockSize, this.padding);
    const iv = this.ivFor(header.messageId, header.exchangeType);
    const body = this.be.cbcEncrypt(this.encryption.cipher, this.key, iv, plaintext);
    this.confirm(header.messageId, header.exchangeType, body.subarray(body.length - this.encryption.blockSize));
    return encodeEncrypted({ header, firstPayload, body });
  }

  /** Decrypt a received message's body with the IV its exchange is at; the chain moves only on `confirm`. */
  decrypt(m: EncryptedIsakmpMessage): Decrypted {
    const bs = this.encryption.blockSize;
    if (m.body.length === 0 || m.body.length % bs !== 0) {
      return { ok: false, why: `an encrypted body of ${m.body.length} bytes is not a whole number of ${bs}-byte blocks` };
    }
    const iv = this.ivFor(m.header.messageId, m.header.exchangeType);
    return { ok: true, plaintext: this.be.cbcDecrypt(this.encryption.cipher, this.key, iv, m.body), lastBlock: m.body.slice(m.body.length - bs) };
  }

  /** A message of exchange `messageId` was sent or verified: its last ciphertext block is that exchange's next IV. */
  confirm(messageId: number, exchangeType: number, lastBlock: Uint8Array): void {
    if (exchangeType === ExchangeType.INFORMATIONAL) return;
    if (messageId === 0) this.phase1 = lastBlock.slice();
    else this.phase2.set(messageId, lastBlock.slice());
  }

  /** Forget a finished exchange's chain. */
  forget(messageId: number): void {
    this.phase2.delete(messageId);
  }
}
