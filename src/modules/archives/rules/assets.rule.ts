import type { ArchiveFlag } from '../archive.enums';

export interface AssetsInput {
  hasVehicle: boolean;
  hasSecondProperty: boolean;
  hasBusinessLicence: boolean;
}

export const ASSET_FLAGS: readonly ArchiveFlag[] = [
  'asset_vehicle',
  'asset_second_property',
  'asset_business',
];

/** Assets that make a reviewer look twice (车辆、第二套房产、营业执照). They flag; they never block. */
export function assetFlags(input: AssetsInput): ArchiveFlag[] {
  const flags: ArchiveFlag[] = [];
  if (input.hasVehicle) flags.push('asset_vehicle');
  if (input.hasSecondProperty) flags.push('asset_second_property');
  if (input.hasBusinessLicence) flags.push('asset_business');
  return flags;
}

/** `current` with the asset flags recomputed and every other flag (stale, relapse watch) kept as it was. */
export function withAssetFlags(current: readonly ArchiveFlag[], input: AssetsInput): ArchiveFlag[] {
  const others = current.filter((f) => !ASSET_FLAGS.includes(f));
  return [...others, ...assetFlags(input)];
}
