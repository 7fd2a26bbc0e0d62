// Truncated page texts of 29 bodies of many kinds and levels: the agency and
// year wherever their text states them (null where it does not — never a guess
// dressed as a fact; see MANIFEST.tsv for what each excerpt holds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/parse/index.ts';
import { EXCERPTS } from './helpers.ts';

const EXPECTED: [string, string | null, number | null][] = [
  ['2012_nanping_shizhengfu', '南平市人民政府', 2012],
  ['2017_lishui_shizhengfu', null, 2017],
  ['2017_stats_chongqingdiaochazongdui', '国家统计局重庆调查总队', 2017],
  ['2019_jiangsu_tongjiju', '江苏省统计局', 2019],
  ['2019_leiyang_mashuizhen', '马水镇', 2019],
  ['2019_lizhou_jiaoyuju', null, null],
  ['2020_weishan_liangchengzhen', '两城镇人民政府', 2020],
  ['2022_guangxi_beibuwanban', '自治区北部湾办', 2022],
  ['2022_jiaxian_xizhen', '螅镇', 2022],
  ['2022_yangling_shenjiju', null, 2022],
  ['2023_changchun_styjrswj', null, 2023],
  ['2023_ganzhou_jingkaiqu', '赣州经济技术开发区', 2023],
  ['2023_haizhu_guanzhoujiedao', '官洲街道办事处', 2023],
  ['2023_kuancheng_xianzhengfubangongshi', '宽城满族自治县人民政府办公室', 2023],
  ['2023_linzhou_shizhengfu', '林州市人民政府', 2023],
  ['2023_nilka_zhen', null, 2023],
  ['2023_pingdu_gonganju', '平度市公安局', 2023],
  ['2023_shaanxi_qutongjiju', '区统计局', 2023],
  ['2023_xuwen_sifaju', null, null],
  ['2023_yuecheng_donghujiedao', '绍兴市越城区东湖街道', 2023],
  ['2024_changchun_weijianwei', '长春市卫生健康委员会', 2024],
  ['2024_moe_jiaoyubu', '教育部', 2024],
  ['2024_tianjin_zhujianwei', '天津市住建委', 2024],
  ['2024_wuhan_gonganju', '武汉市公安局', 2024],
  ['2025_daye_ziranziyuanju', '大冶市自然资源和规划局', 2025],
  ['2025_fengze_jiaoyuju', '泉州市丰泽区教育局', 2025],
  ['2025_gannan_weijianwei', '甘南州卫生健康委', 2025],
  ['2025_hantai_xuwangzhen', '汉台区徐望镇人民政府', 2025],
  ['2025_xinghua_changrongzhen', '昌荣镇', 2025],
];

describe('excerpts: agency and year where the text states them', () => {
  for (const [name, agency, year] of EXPECTED) {
    it(name, async () => {
      const file = join(EXCERPTS, `${name}.excerpt.txt`);
      const r = await parseDocument(readFileSync(file), { path: file });
      expect(r.agency?.name ?? null).toBe(agency);
      expect(r.year).toBe(year);
      if (year === null) expect(r.warnings.map((w) => w.code)).not.toContain('year_guessed');
    });
  }

  it('reads the tables an excerpt keeps (官洲街道 行政处罚 1472, 新收 1)', async () => {
    const r = await parseDocument(readFileSync(join(EXCERPTS, '2023_haizhu_guanzhoujiedao.excerpt.txt')), {});
    const v = (id: string) => r.values.find((x) => `${x.table}.${x.row}.${x.col}` === id)?.value;
    expect(r.template).toBe('2021');
    expect(v('t2.penalty.decisions')).toBe(1472);
    expect(v('t3.new_received.natural_person')).toBe(1);
    expect(v('t3.new_received.total')).toBe(1);
  });
});
