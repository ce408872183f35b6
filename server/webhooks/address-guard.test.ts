import { describe, expect, it } from 'vitest';
import { checkedAddresses, isPrivateAddress, RefusedAddressError } from './address-guard.ts';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'fc12::3',
    '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'ff02::1', 'not-an-address',
  ])('%s is refused', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is allowed', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('checkedAddresses', () => {
  const resolveTo = (address: string) => async () => [{ address, family: 4 as const }];

  it('judges an IP literal without asking DNS', async () => {
    const never = async () => {
      throw new Error('DNS asked');
    };
    await expect(checkedAddresses(new URL('http://[::1]:8080/x'), never, false)).rejects.toThrow(RefusedAddressError);
    await expect(checkedAddresses(new URL('http://8.8.8.8/x'), never, false)).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
  });

  it('judges every address a name resolves to', async () => {
    const mixed = async () => [{ address: '8.8.8.8', family: 4 as const }, { address: '10.0.0.5', family: 4 as const }];
    await expect(checkedAddresses(new URL('https://hooks.example/x'), mixed, false)).rejects.toThrow('(10.0.0.5)');
    await expect(checkedAddresses(new URL('https://hooks.example/x'), resolveTo('10.0.0.5'), true)).resolves.toHaveLength(1);
  });

  it('refuses a name that does not resolve', async () => {
    const nx = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(checkedAddresses(new URL('https://nowhere.invalid/'), nx, true)).rejects.toThrow('nowhere.invalid does not resolve: ENOTFOUND');
  });
});
