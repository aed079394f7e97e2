import { ChannelStockService } from '../../domain/channel/channel-stock-service';
import { productRepository } from './dynamo/catalog-product-repository';
import { channelStockRepository } from './dynamo/channel-stock-repository';
import { locationRepository } from './dynamo/location-repository';
import { ENV } from './dynamo/table-schema';

/** The channel context's composition: its service over the DynamoDB adapters (see runtime.ts). */
let service: ChannelStockService | undefined;

export function channelStock(): ChannelStockService {
  service ??= new ChannelStockService(channelStockRepository, locationRepository, productRepository, process.env[ENV.enterpriseTimeZone] ?? 'Asia/Shanghai');
  return service;
}
