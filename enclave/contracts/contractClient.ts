/**
 * The client side of confidential contracts (what Phala's JS SDK does, DOMAIN.md §9.3): an
 * account key, a fresh ephemeral key per message, commands encrypted to the contract key (read
 * from the chain's `ContractKeys`), queries encrypted to a worker's identity key and optionally
 * certified by the account, replies decrypted and matched to their query. It runs outside the
 * enclave (a user, a simulated client); it lives here because it uses the same primitives.
 * Its keys are the user's own: no enclave secret ever passes through it.
 */
import * as E from 'fp-ts/Either';
import { type ContractQueryResponse, ContractQueryResponseScale, ContractQueryScale, EncryptedDataScale } from '../../domain/codec/contractEvents.codec';
import { bytesEqual, concatBytes } from '../../domain/codec/scale';
import type { Random } from '../../domain/ports/random';
import { aesGcmDecrypt, aesGcmEncrypt } from '../aead';
import { agree } from '../ecdh';
import { type Sr25519Pair, pairFromSeed } from '../keys/sr25519Pair';
import { signWith } from '../signing';
import type { ContractQueryReply, ContractQueryRequest } from './contractHost';
import { type Certificate, type QuerySignature, certificateBodyCodec } from './queryCertificate';

/** How a query is signed. */
export type QueryAuth =
  | { readonly kind: 'anonymous' }
  /** the account signs the query directly (a depth-1 chain) */
  | { readonly kind: 'account'; readonly ttl: number }
  /** the account certifies a session key that signs the query (the SDK's usual depth-2 chain) */
  | { readonly kind: 'session'; readonly ttl: number };

/** A prepared query and how to read its reply. */
export interface PreparedQuery {
  readonly request: ContractQueryRequest;
  open(reply: ContractQueryReply): E.Either<string, ContractQueryResponse>;
}

/** A contract user. */
export interface ContractClient {
  readonly account: Uint8Array;
  /** `Payload::Plain(cmd)` */
  plainCommand(command: Uint8Array): Uint8Array;
  /** `Payload::Encrypted(EncryptedData)` to the contract key */
  encryptedCommand(contractPublicKey: Uint8Array, command: Uint8Array): Uint8Array;
  query(workerPublicKey: Uint8Array, contractId: Uint8Array, data: Uint8Array, auth: QueryAuth): PreparedQuery;
}

function encryptWith(ephemeral: Sr25519Pair, to: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const data = aesGcmEncrypt(agree(ephemeral, to), iv, plaintext);
  if (E.isLeft(data)) throw new Error(`client encryption failed: ${data.left._tag}`);
  return EncryptedDataScale.encode({ iv, pubkey: ephemeral.publicKey, data: data.right });
}

function certificateOf(pubkey: Uint8Array, ttl: number, signature: QuerySignature | undefined): Certificate {
  return { encodedBody: certificateBodyCodec.enc({ pubkey, ttl, configBits: 0 }), signature };
}

/**
 * A client whose ephemeral keys come from `random` (seeded in a simulation, the OS otherwise);
 * its account is `account` (the key that signs its extrinsics), or a fresh key from `random`.
 */
export function createContractClient(random: Random, account: Sr25519Pair = pairFromSeed(random.bytes(32))): ContractClient {
  const ephemeral = () => pairFromSeed(random.bytes(32));
  const sign = (pair: Sr25519Pair, message: Uint8Array, ttl: number): QuerySignature => ({
    signedBy: certificateOf(pair.publicKey, ttl, undefined),
    signatureType: 'Sr25519',
    signature: signWith(pair, message, random),
  });
  const signQuery = (message: Uint8Array, auth: QueryAuth): QuerySignature | undefined => {
    switch (auth.kind) {
      case 'anonymous':
        return undefined;
      case 'account':
        return sign(account, message, auth.ttl);
      case 'session': {
        const session = ephemeral();
        const cert = certificateOf(session.publicKey, auth.ttl, undefined);
        const byAccount = sign(account, cert.encodedBody, auth.ttl);
        return { signedBy: { ...cert, signature: byAccount }, signatureType: 'Sr25519', signature: signWith(session, message, random) };
      }
      default: {
        const never: never = auth;
        throw new Error(`unknown auth ${JSON.stringify(never)}`);
      }
    }
  };
  return {
    account: account.publicKey,
    plainCommand: (command) => concatBytes(Uint8Array.of(0), command),
    encryptedCommand: (contractPublicKey, command) => concatBytes(Uint8Array.of(1), encryptWith(ephemeral(), contractPublicKey, random.bytes(12), command)),
    query: (workerPublicKey, contractId, data, auth) => {
      const key = ephemeral();
      const nonce = random.bytes(32);
      const encodedEncryptedData = encryptWith(key, workerPublicKey, random.bytes(12), ContractQueryScale.encode({ head: { id: contractId, nonce }, data }));
      return {
        request: { encodedEncryptedData, signature: signQuery(encodedEncryptedData, auth) },
        open: (reply) => {
          let sealed: ReturnType<typeof EncryptedDataScale.decode>;
          try {
            sealed = EncryptedDataScale.decode(reply.encodedEncryptedData);
          } catch (e) {
            return E.left(`reply is not an EncryptedData: ${(e as Error).message}`);
          }
          // the agreement is with the worker we asked, never with a key the reply names
          if (!bytesEqual(sealed.pubkey, workerPublicKey)) return E.left('reply is not from the worker the query was sent to');
          const plain = aesGcmDecrypt(agree(key, workerPublicKey), sealed.iv, sealed.data);
          if (E.isLeft(plain)) return E.left(`reply does not decrypt: ${plain.left._tag}`);
          let response: ContractQueryResponse;
          try {
            response = ContractQueryResponseScale.decode(plain.right);
          } catch (e) {
            return E.left(`reply plaintext is not a ContractQueryResponse: ${(e as Error).message}`);
          }
          return Buffer.from(response.nonce).equals(Buffer.from(nonce)) ? E.right(response) : E.left('reply nonce differs from the query nonce');
        },
      };
    },
  };
}
