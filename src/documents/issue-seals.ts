// The registry's side of the page seals: lay the document out into A4 pages and sign each page's
// fields. The registry simulator calls this when it issues; a production registry does the same
// with this layout, so the kiosk prints exactly the pages the seals describe.
import type { SignedDocument, SigningKey } from '../registry/document.js';
import { toForm } from './form.js';
import { planPages } from './layout.js';
import { createSeal } from './seal.js';

export function pageSeals(doc: SignedDocument, key: SigningKey): string[] {
  const pages = planPages(toForm(doc));
  return pages.map((fields, i) =>
    createSeal(
      {
        municipalityCode: doc.municipality.code,
        documentId: doc.issuanceNumber,
        page: i + 1,
        pageCount: pages.length,
        fields,
      },
      key,
    ),
  );
}

/** The signed document with its page seals. */
export const sealDocument = (doc: SignedDocument, key: SigningKey): SignedDocument => ({
  ...doc,
  seals: pageSeals(doc, key),
});
