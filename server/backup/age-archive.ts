// The age encryption of a backup archive: to the owner's offline recipients, opened with one of
// their identity files. The output is a standard age file (`age -d -i KEY FILE` opens it too).
import { Decrypter, Encrypter, armor, identityToRecipient } from 'age-encryption';
import { SilError } from '../errors.ts';
import { RECIPIENT, shortRecipient } from '../vault/recipients.ts';
import { parseIdentityFile } from '../vault/sops/data-key.ts';

const AGE_MAGIC = 'age-encryption.org/v1\n';
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';

/** Recipients from --recipient values and a recipients file (one per line, # comments), de-duplicated. */
export function parseRecipients(given: readonly string[], fileText?: string, fileName = 'the recipients file'): string[] {
  const fromFile = (fileText ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const all = [...given.map((r) => r.trim()), ...fromFile];
  for (const r of all) {
    if (!RECIPIENT.test(r)) {
      const where = fromFile.includes(r) ? ` in ${fileName}` : '';
      throw new SilError('SIL_USAGE', `"${r.length > 70 ? `${r.slice(0, 70)}…` : r}"${where} is not an age recipient (age1 and 58 characters)`, {
        hint: 'give the public key of the owner\'s offline age key: `age-keygen -y OWNER_KEY_FILE` prints it',
      });
    }
  }
  const unique = [...new Set(all)];
  if (unique.length === 0) {
    throw new SilError('SIL_USAGE', 'no recipient: the archive must be encrypted to at least one offline key of the owner', {
      hint: 'pass --recipient age1... (repeatable) or --recipients-file FILE; `age-keygen -o owner.key` makes a key, keep it off this machine',
    });
  }
  return unique;
}

export async function encryptArchive(data: Uint8Array, recipients: readonly string[]): Promise<Uint8Array> {
  const e = new Encrypter();
  for (const r of recipients) e.addRecipient(r);
  return e.encrypt(data);
}

/** The identities of an age key file, and their recipients (to name them in errors). */
export async function identitiesOf(text: string, path: string): Promise<{ raw: string[]; recipients: string[] }> {
  const { raw } = parseIdentityFile(text);
  if (raw.length === 0) {
    throw new SilError('SIL_VAULT_IDENTITY', `${path} holds no AGE-SECRET-KEY line`, { hint: 'pass the owner\'s age key file (made by age-keygen), the one the backup was encrypted to' });
  }
  return { raw, recipients: await Promise.all(raw.map((id) => identityToRecipient(id))) };
}

/** Opens the archive; SIL_VAULT_IDENTITY when no identity fits, SIL_BACKUP_ARCHIVE when damaged. */
export async function decryptArchive(file: Uint8Array, identity: { raw: string[]; recipients: string[] }, names: { archive: string; identity: string }): Promise<Uint8Array> {
  const head = Buffer.from(file.subarray(0, 64)).toString('latin1');
  let data = file;
  if (head.startsWith(ARMOR_BEGIN)) {
    try {
      data = armor.decode(Buffer.from(file).toString('utf8'));
    } catch (err) {
      throw new SilError('SIL_BACKUP_ARCHIVE', `${names.archive}: the armored age file is damaged: ${(err as Error).message}`);
    }
  } else if (!head.startsWith(AGE_MAGIC)) {
    throw new SilError('SIL_BACKUP_ARCHIVE', `${names.archive} is not an age-encrypted file (a sil backup starts with "age-encryption.org/v1")`);
  }
  const d = new Decrypter();
  for (const id of identity.raw) d.addIdentity(id);
  try {
    return await d.decrypt(data);
  } catch (err) {
    const message = (err as Error).message;
    if (/no identity matched/.test(message)) {
      throw new SilError('SIL_VAULT_IDENTITY', `${names.identity} (${identity.recipients.map(shortRecipient).join(', ')}) cannot open ${names.archive}: the archive was encrypted to other recipients`, {
        hint: 'pass --identity with the owner\'s offline key the backup was made for (its recipient was given to `sil backup --recipient`)',
      });
    }
    throw new SilError('SIL_BACKUP_ARCHIVE', `${names.archive} is damaged or was changed after it was written (age: ${message})`, {
      hint: 'take another copy of the archive (the off-site one); a partial download or a text-mode transfer also breaks it',
    });
  }
}
