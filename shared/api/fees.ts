/**
 * The fees domain's methods (issue 12; docs/fees.md). Households' incomes first: income is personal data
 * that only fee administrators see by default (fee.read / fee.write, municipality-wide by nature).
 */
import { z } from 'zod';
import { def, type MethodDef } from './def';
import { isoDate, uuid, writeResult } from './schemas';

export const INCOME_SOURCES = ['declared', 'not_declared', 'income_check', 'administrator'] as const;
/** A month's income above this (öre) is refused as a typing error (10 million kronor a month). */
export const INCOME_MAX = 1_000_000_000;

export const incomeDeclaration = z.object({
  id: uuid,
  householdId: uuid,
  validFrom: isoDate,
  /** Gross income per month in öre; null when not declared. */
  monthlyIncome: z.number().int().nullable(),
  source: z.enum(INCOME_SOURCES),
  note: z.string().nullable(),
  /** In force now: the latest that applies on the day asked for (today by default). */
  current: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  version: z.number().int(),
});

const int = z.number().int();
const family = z.enum(['preschool', 'afterschool']);
/** How a line was computed, stored with it and shown beside it (core/fees/maxtaxa.ts FeeExplanation). */
export const feeExplanation = z.object({
  ruleSet: z.object({ id: z.string(), name: z.string(), validFrom: z.string(), validTo: z.string().nullable(), source: z.string() }),
  income: z.object({ monthly: int.nullable(), used: int, source: z.enum(['declared', 'not_declared']), from: z.string().nullable(), declarationId: z.string().nullable() }),
  adults: z.array(z.string()),
  rank: int,
  ranked: z.array(z.object({ personId: z.string(), birthDate: z.string(), family })),
  family,
  percentBp: int,
  ceiling: int,
  incomeFloor: int,
  feeBase: int,
  cap: int,
  full: int,
  local: z.array(z.object({ id: z.string(), label: z.string(), effect: z.enum(['free', 'reduce', 'percent']), before: int, after: int })),
  days: z.object({ charged: int, ofMonth: int, mode: z.enum(['thirty', 'actual']), freeStartDays: int }),
  rounding: z.enum(['krona', 'ore']),
  amount: int,
});

export const feesMethods = {
  /**
   * What a child is charged for a month and why: one line per fee-bearing place and household, each with
   * its explanation, and what the fee administrator should look at (no household, no income declared …).
   */
  'fee.explain': def({
    input: z.object({ personId: uuid, month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month YYYY-MM') }).strict(),
    output: z.object({
      month: z.string(),
      lines: z.array(z.object({ personId: uuid, placementId: uuid, householdId: uuid, shareBp: int, amount: int, explanation: feeExplanation })),
      warnings: z.array(z.object({ code: z.enum(['no_household', 'no_rule_set', 'income_not_declared', 'shared_residence', 'no_fee_place']), message: z.string() })),
    }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden', 'unavailable'],
    personal: true,
    writes: false,
  }),
  'income.list': def({
    input: z.object({ householdId: uuid, date: isoDate.optional() }).strict(),
    output: z.object({ items: z.array(incomeDeclaration) }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * A household's income from a date: an amount per month (öre) with its source, or "not declared" (the
   * cap applies). A later declaration takes over from its date; the earlier ones stay as history.
   */
  'income.declare': def({
    input: z
      .object({
        householdId: uuid,
        validFrom: isoDate,
        monthlyIncome: z.number().int().min(0).max(INCOME_MAX).nullable(),
        source: z.enum(INCOME_SOURCES),
        note: z.string().trim().max(500).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if ((v.source === 'not_declared') !== (v.monthlyIncome === null)) {
          ctx.addIssue({
            code: 'custom',
            path: ['monthlyIncome'],
            message: v.source === 'not_declared' ? 'An income marked not declared has no amount' : 'An amount is required unless the income is marked not declared',
          });
        }
      }),
    output: writeResult,
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: true,
    writes: true,
  }),
} as const satisfies Record<string, MethodDef>;
