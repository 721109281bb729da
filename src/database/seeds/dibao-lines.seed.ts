import type { EntityManager } from 'typeorm';
import { DibaoLineEntity } from '../../modules/archives/dibao-lines/dibao-line.entity';

export interface DemoDibaoLine {
  regionCode: string;
  effectiveFrom: string;
  /** Per person per month, fen. */
  monthlyAmountFen: number;
  source: string;
}

/**
 * 低保 lines for the demo regions (浙江: 杭州, 宁波 and their demo districts), modelled on the yearly
 * July raises of the province's urban-rural unified standard. Illustrative figures, not the official
 * ones: a deployment enters the real table through `POST /dibao-lines`.
 * The province row is the fallback for districts and cities without their own line.
 */
export const DEMO_DIBAO_LINES: readonly DemoDibaoLine[] = [
  {
    regionCode: '330000',
    effectiveFrom: '2023-07-01',
    monthlyAmountFen: 95_000,
    source: '浙江省最低生活保障标准（演示）',
  },
  {
    regionCode: '330000',
    effectiveFrom: '2024-07-01',
    monthlyAmountFen: 100_000,
    source: '浙江省最低生活保障标准（演示）',
  },
  {
    regionCode: '330000',
    effectiveFrom: '2025-07-01',
    monthlyAmountFen: 105_000,
    source: '浙江省最低生活保障标准（演示）',
  },
  {
    regionCode: '330000',
    effectiveFrom: '2026-07-01',
    monthlyAmountFen: 110_000,
    source: '浙江省最低生活保障标准（演示）',
  },
  {
    regionCode: '330100',
    effectiveFrom: '2023-07-01',
    monthlyAmountFen: 108_000,
    source: '杭州市城乡居民最低生活保障标准（演示）',
  },
  {
    regionCode: '330100',
    effectiveFrom: '2024-07-01',
    monthlyAmountFen: 113_000,
    source: '杭州市城乡居民最低生活保障标准（演示）',
  },
  {
    regionCode: '330100',
    effectiveFrom: '2025-07-01',
    monthlyAmountFen: 118_000,
    source: '杭州市城乡居民最低生活保障标准（演示）',
  },
  {
    regionCode: '330100',
    effectiveFrom: '2026-07-01',
    monthlyAmountFen: 124_000,
    source: '杭州市城乡居民最低生活保障标准（演示）',
  },
  {
    regionCode: '330200',
    effectiveFrom: '2023-07-01',
    monthlyAmountFen: 104_500,
    source: '宁波市城乡居民最低生活保障标准（演示）',
  },
  {
    regionCode: '330200',
    effectiveFrom: '2024-07-01',
    monthlyAmountFen: 109_500,
    source: '宁波市城乡居民最低生活保障标准（演示）',
  },
  {
    regionCode: '330200',
    effectiveFrom: '2025-07-01',
    monthlyAmountFen: 114_500,
    source: '宁波市城乡居民最低生活保障标准（演示）',
  },
  {
    regionCode: '330200',
    effectiveFrom: '2026-07-01',
    monthlyAmountFen: 119_500,
    source: '宁波市城乡居民最低生活保障标准（演示）',
  },
];

/** Inserts the demo lines that are not there yet (by region and date); returns how many were added. */
export async function seedDibaoLines(
  manager: EntityManager,
  lines: readonly DemoDibaoLine[] = DEMO_DIBAO_LINES,
): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(DibaoLineEntity)
    .values(lines.map((line) => ({ ...line, createdBy: null })))
    .orIgnore()
    .returning(['id'])
    .execute();
  return (result.raw as unknown[]).length;
}
