// Star command set through node-thermal-printer. Japanese goes as a raster: we do not drive
// Star's Kanji modes, and the library's own Japanese path (ESC R 8 + EUC-JP) prints garbage on
// Japanese heads. The library's Star raster encoder is used as is.
import { PrinterTypes, ThermalPrinter } from 'node-thermal-printer';

/** A Star job: the PNG (drawn at the roll width) as a raster, then a cut. */
export async function starRasterJob(png: Buffer): Promise<Uint8Array> {
  const printer = new ThermalPrinter({
    type: PrinterTypes.STAR,
    interface: '' /* builder only: we own the transport */,
  });
  printer.alignCenter();
  await printer.printImageBuffer(png);
  printer.cut();
  return Uint8Array.from(printer.getBuffer());
}
