import { assetFlags, withAssetFlags } from './assets.rule';

describe('assetFlags', () => {
  it.each([
    { v: false, p: false, b: false, flags: [] },
    { v: true, p: false, b: false, flags: ['asset_vehicle'] },
    { v: false, p: true, b: false, flags: ['asset_second_property'] },
    { v: false, p: false, b: true, flags: ['asset_business'] },
    { v: true, p: true, b: true, flags: ['asset_vehicle', 'asset_second_property', 'asset_business'] },
  ])('vehicle=$v property=$p business=$b → $flags', ({ v, p, b, flags }) => {
    expect(assetFlags({ hasVehicle: v, hasSecondProperty: p, hasBusinessLicence: b })).toEqual(flags);
  });

  it('recomputes asset flags and keeps the others', () => {
    expect(
      withAssetFlags(['stale_verification', 'asset_vehicle'], {
        hasVehicle: false,
        hasSecondProperty: true,
        hasBusinessLicence: false,
      }),
    ).toEqual(['stale_verification', 'asset_second_property']);
  });
});
