import { compareTimes } from '../validate/compare-times.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { defineField as f } from './define-field.js';

/**
 * Pharmacy inventory: stock on hand per item, lot and location. FHIR R4 has no stock resource
 * (R5's InventoryReport came later), so the model follows R4 Medication for the product (code,
 * form, ingredient strength, batch.lotNumber, batch.expirationDate) and keeps quantities as
 * extensions. USAID SCMS delivery history (shipments of medicines and test kits) is the closest
 * open data and maps to it: a delivered line item is stock received. Choices:
 * - Quantities and prices are decimals: `25,000` is 25000; text in them ("Freight Included in
 *   Commodity Cost", "See DN-304 (ID#:10589)") is kept under extras with number.not_numeric, the
 *   row kept.
 * - Date fields allow placeholders: SCMS writes "Pre-PQ Process", "Date Not Captured" and
 *   "N/A - From RDC" in date columns; they are kept under extras with date.placeholder, not
 *   rejected. Dates come as `2-Jun-06` and `9/11/2014` in one file; both are read.
 * - Rules: stock past its expiry date on the processing date is a warning (inventory.expired), as
 *   is stock received already expired and a negative quantity on hand (a stock-count error).
 */
export const pharmacyInventory: DatasetDefinition = {
  name: 'pharmacy_inventory',
  description: 'Stock on hand: item, NDC, strength and form, lot and expiry, quantity, cost, location and supplier.',
  fhirResource: 'Medication',
  fields: [
    f('item_id', 'id', 'Medication.identifier', ['id', 'Item ID', 'Item Number', 'SKU', 'Product ID', 'Material Number', 'Item Code', 'Stock Code']),
    f('ndc', 'clinical_code', 'Medication.code.coding(ndc)', ['NDC', 'National Drug Code', 'NDC Code'], { codeSystems: ['ndc'], missingValues: ['0'] }),
    f('item_name', 'text', 'Medication.code.text', ['item description', 'Item Name', 'Item Description', 'Product Name', 'Drug Name', 'Description', 'Medication', 'Product']),
    f('generic_name', 'text', 'Medication.ingredient.itemCodeableConcept', ['molecule/test type', 'Generic Name', 'Molecule', 'Active Ingredient']),
    f('brand', 'text', 'Medication.extension(brand)', ['brand', 'Brand Name', 'Trade Name']),
    f('strength', 'text', 'Medication.ingredient.strength', ['dosage', 'Strength', 'Dose Strength']),
    f('dosage_form', 'text', 'Medication.form', ['dosage form', 'Form', 'Dose Form']),
    f('pack_size', 'decimal', 'Medication.amount', ['unit of measure (per pack)', 'Pack Size', 'Units per Pack', 'Package Size']),
    f('quantity_on_hand', 'decimal', 'Medication.extension(quantityOnHand)', [
      'line item quantity', 'Quantity on Hand', 'QOH', 'On Hand', 'Stock on Hand', 'Stock', 'Quantity', 'Qty', 'Current Stock', 'Balance',
    ]),
    f('unit_of_measure', 'text', 'Medication.extension(unit)', ['UOM', 'Unit of Measure', 'Unit', 'Units', 'Stock Unit']),
    f('lot_number', 'text', 'Medication.batch.lotNumber', ['Lot', 'Lot Number', 'Lot No', 'Batch', 'Batch Number', 'Batch No']),
    f('expiry_date', 'date', 'Medication.batch.expirationDate', ['Expiry', 'Expiry Date', 'Expiration Date', 'Exp Date', 'Expires', 'Best Before'], { placeholders: true }),
    f('received_date', 'date', 'Medication.extension(receivedDate)', ['delivered to client date', 'Received Date', 'Date Received', 'Delivery Date', 'Receipt Date'], {
      placeholders: true,
    }),
    f('unit_cost', 'decimal', 'Medication.extension(unitCost)', ['unit price', 'Unit Cost', 'Cost per Unit', 'Unit Price', 'Cost']),
    f('pack_price', 'decimal', 'Medication.extension(packPrice)', ['pack price', 'Pack Price', 'Price per Pack']),
    f('total_value', 'decimal', 'Medication.extension(totalValue)', ['line item value', 'Total Value', 'Extended Value', 'Stock Value', 'Value']),
    f('location', 'text', 'Medication.extension(location)', ['Location', 'Store', 'Warehouse', 'Pharmacy', 'Bin', 'Site']),
    f('supplier', 'text', 'Medication.extension(supplier)', ['vendor', 'Supplier', 'Supplier Name', 'Vendor Name', 'Wholesaler']),
    f('manufacturer', 'text', 'Medication.manufacturer', ['manufacturing site', 'Manufacturer', 'Mfr', 'Manufacturer Name']),
    f('product_group', 'text', 'Medication.extension(productGroup)', ['product group', 'Category', 'Product Group', 'Therapeutic Class', 'Class']),
    f('reorder_level', 'decimal', 'Medication.extension(reorderLevel)', ['Reorder Level', 'Reorder Point', 'Min Stock', 'Minimum Stock', 'Par Level']),
  ],
  naturalKey: ['item_id', 'lot_number', 'location'],
  requiredColumnsAnyOf: [['item_name', 'quantity_on_hand'], ['item_id', 'quantity_on_hand'], ['ndc', 'quantity_on_hand']],
  knownExtras: [
    'project code', 'pq', 'po so', 'asn dn', 'country', 'managed by', 'fulfill via', 'vendor inco term', 'shipment mode',
    'pq first sent to client date', 'po sent to vendor date', 'scheduled delivery date', 'delivery recorded date',
    'sub classification', 'first line designation', 'weight kilograms', 'freight cost usd', 'line item insurance usd',
  ],
  rules: [
    {
      rule: 'inventory.expired',
      severity: 'warning',
      field: 'expiry_date',
      message: 'expiry_date is before the processing date: the stock has expired',
      violated: (r, ctx) => !!ctx.referenceDate && !!r.expiry_date && compareTimes(r.expiry_date, ctx.referenceDate) < 0,
    },
    {
      rule: 'inventory.expired_on_receipt',
      severity: 'warning',
      field: 'expiry_date',
      message: 'expiry_date is before received_date: the stock arrived expired',
      dateFields: ['received_date', 'expiry_date'],
      violated: (r) => !!r.expiry_date && !!r.received_date && compareTimes(r.expiry_date, r.received_date) < 0,
    },
    {
      rule: 'inventory.negative_quantity',
      severity: 'warning',
      field: 'quantity_on_hand',
      message: 'quantity_on_hand is negative: a stock-count or posting error',
      violated: (r) => r.quantity_on_hand != null && Number(r.quantity_on_hand) < 0,
    },
  ],
  fileNameHints: ['inventory', 'stock', 'pharmacy', 'supply', 'supplies', 'shipments', 'delivery', 'scms'],
};
