// Yours: the steps of the saga place-order. Each method builds the request its step sends (the
// idempotency key is added for you); a compensation is also given what its step returned.
// microgen created this file and only ever adds a stub method when the spec gains a step; it
// never rewrites your code.
import { NotImplemented } from '@microgen/runtime';
import { PlaceOrderSteps } from '../../generated/sagas.js';
import type * as Sg from '../../generated/sagas.js';

export class PlaceOrder extends PlaceOrderSteps {
  override async createOrder(run: Sg.PlaceOrderRun): Promise<Sg.PlaceOrderCreateOrderRequest> {
    throw new NotImplemented('place-order: create-order');
  }

  override async compensateCreateOrder(
    run: Sg.PlaceOrderRun,
    result: Sg.PlaceOrderCreateOrderResult,
  ): Promise<Sg.PlaceOrderCompensateCreateOrderRequest> {
    throw new NotImplemented('place-order: compensating create-order');
  }

  override async reserveInventory(
    run: Sg.PlaceOrderRun,
  ): Promise<Sg.PlaceOrderReserveInventoryRequest> {
    throw new NotImplemented('place-order: reserve-inventory');
  }

  override async compensateReserveInventory(
    run: Sg.PlaceOrderRun,
    result: Sg.PlaceOrderReserveInventoryResult,
  ): Promise<Sg.PlaceOrderCompensateReserveInventoryRequest> {
    throw new NotImplemented('place-order: compensating reserve-inventory');
  }

  override async processPayment(
    run: Sg.PlaceOrderRun,
  ): Promise<Sg.PlaceOrderProcessPaymentRequest> {
    throw new NotImplemented('place-order: process-payment');
  }

  override async compensateProcessPayment(
    run: Sg.PlaceOrderRun,
    result: Sg.PlaceOrderProcessPaymentResult,
  ): Promise<Sg.PlaceOrderCompensateProcessPaymentRequest> {
    throw new NotImplemented('place-order: compensating process-payment');
  }
}
